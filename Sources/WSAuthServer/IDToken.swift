#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The claims of an ID token (OpenID Connect Core 1.0 §2). It has no `sid` or `jti`,
/// so it never decodes as an access token: `/ws` refuses it as malformed.
struct IDTokenClaims: Encodable {
    let iss: String
    let sub: String
    let aud: String
    let iat: Int
    let exp: Int
    let nonce: String?
}

/// Who asked for the tokens, for the ID token that an `openid` scope asks for.
struct IDTokenRequest: Sendable {
    let issuer: String
    let clientID: String
    let scope: String?
    let nonce: String?

    /// OpenID Connect Core §3.1.2.1: an OpenID request has `openid` among its scopes.
    var wantsIDToken: Bool {
        scope?.split(separator: " ").contains("openid") ?? false
    }
}

extension AuthService {
    /// An ID token for `tokens`' user when the scope asks for one; it lives as long as
    /// the access token issued with it.
    func idToken(for tokens: IssuedTokens, _ request: IDTokenRequest, now: Date = Date()) -> String? {
        guard request.wantsIDToken else { return nil }
        let issuedAt = Int(now.timeIntervalSince1970)
        return signer.sign(
            IDTokenClaims(
                iss: request.issuer,
                sub: tokens.session.subject,
                aud: request.clientID,
                iat: issuedAt,
                exp: issuedAt + tokens.expiresIn,
                nonce: request.nonce
            )
        )
    }
}
