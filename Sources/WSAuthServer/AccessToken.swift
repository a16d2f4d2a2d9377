import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The claims of an access token (RFC 7519 §4.1), plus `sid`, the session it belongs
/// to, so that logging out revokes every token of the session at once. `sid` is the
/// session's `tokenKey`, never its ID: a token must be worth nothing after `exp`.
struct AccessTokenClaims: Codable, Sendable {
    let sub: String
    let iat: Int
    let exp: Int
    let jti: String
    let sid: String

    /// RFC 7519 §4.1.4: the token must not be accepted on or after `exp`.
    func isExpired(at now: Date) -> Bool {
        now.timeIntervalSince1970 >= Double(exp)
    }

    var expiry: Date { Date(timeIntervalSince1970: Double(exp)) }
}

/// Why a string is not a good access token, in words a client developer can act on.
enum AccessTokenRejection: Error, Sendable, Equatable {
    case malformed
    case unsupportedAlgorithm(String)
    case badSignature
    case expired(secondsAgo: Int)
    case sessionRevoked
    case sessionUnknown

    var description: String {
        switch self {
        case .malformed: "the token is not a JWT (expected three base64url parts)"
        case .unsupportedAlgorithm(let alg): "the token's alg \(Printable.escaped(alg)) is not accepted; only HS256 is"
        case .badSignature: "the token's signature does not verify"
        case .expired(let secondsAgo): "the token expired \(secondsAgo)s ago"
        case .sessionRevoked: "the token's session was logged out or revoked"
        case .sessionUnknown: "the token's session is unknown to this server"
        }
    }
}

/// Issues and verifies HS256 JWTs (RFC 7519, RFC 7515 with `alg` HS256 from RFC 7518 §3.2).
struct AccessTokenSigner: Sendable {
    /// Raw bytes: `SymmetricKey` is not `Sendable`, so one is made per use.
    private let secret: [UInt8]
    private static let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// Access tokens and ID tokens: their claims are plain structs of strings and numbers.
    func sign(_ claims: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding plain fields cannot fail.
        let payload = Base64URL.encode(try! encoder.encode(claims))
        let signingInput = "\(Self.header).\(payload)"
        let signature = HMAC<SHA256>.authenticationCode(
            for: Array(signingInput.utf8),
            using: SymmetricKey(data: secret)
        )
        return "\(signingInput).\(Base64URL.encode(signature))"
    }

    /// The claims of a token whose signature verifies; expiry and session are the
    /// caller's to judge, because logout and `--accept-expired` judge them differently.
    func verifiedClaims(of token: String) throws(AccessTokenRejection) -> AccessTokenClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerBytes = Base64URL.decode(parts[0]),
            let payloadBytes = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2]),
            let header = try? JSONDecoder().decode(JOSEHeader.self, from: Data(headerBytes))
        else { throw .malformed }
        // RFC 8725 §3.1: the algorithm is ours to choose, never the token's ("none",
        // or an asymmetric alg keyed with our secret).
        guard header.alg == "HS256" else { throw .unsupportedAlgorithm(header.alg) }
        let signingInput = Array("\(parts[0]).\(parts[1])".utf8)
        guard
            HMAC<SHA256>.isValidAuthenticationCode(
                signature,
                authenticating: signingInput,
                using: SymmetricKey(data: secret)
            )
        else {
            throw .badSignature
        }
        guard let claims = try? JSONDecoder().decode(AccessTokenClaims.self, from: Data(payloadBytes)) else {
            throw .malformed
        }
        return claims
    }

    private struct JOSEHeader: Decodable {
        let alg: String
    }
}
