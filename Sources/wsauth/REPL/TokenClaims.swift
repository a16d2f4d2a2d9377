import WSAuthKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The token's header and claims for `/token` and the prompt's countdown: a
/// JWT's payload read without checking the signature (wsauth inspects tokens,
/// it does not trust them). Kept minimal until the shared JWT decoder of
/// issue 4 (Auth/JWT.swift) reaches main; an opaque token has no claims.
enum TokenClaims {
    static func report(_ token: Secret, now: Date = Date()) -> TokenReport {
        let parts = token.reveal().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let headerBytes = Base64.decode(String(parts[0])),
              let claimBytes = Base64.decode(String(parts[1])),
              let header = try? JSONValue.parse(headerBytes),
              let claims = try? JSONValue.parse(claimBytes),
              header.objectMembers != nil, claims.objectMembers != nil
        else {
            return TokenReport(opaque: true, header: nil, claims: nil, expiresAt: nil, expiresInSeconds: nil)
        }
        // NumericDate (RFC 7519 §4.1.4): seconds since the epoch.
        let expiresAt = claims["exp"]?.numberValue.map { Date(timeIntervalSince1970: $0) }
        return TokenReport(opaque: false, header: header, claims: claims, expiresAt: expiresAt,
                           expiresInSeconds: expiresAt.map { Int($0.timeIntervalSince(now).rounded(.down)) })
    }
}
