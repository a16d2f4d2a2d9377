#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the token endpoint hands out for a grant: the tokens, and for the interactive
/// grants the granted scope and an ID token when `openid` was asked for.
struct GrantOutcome: Sendable {
    let tokens: IssuedTokens
    var idToken: String?
    var scope: String?
}

/// `grant_type=authorization_code` (RFC 6749 §4.1.3) with PKCE (RFC 7636 §4.5–4.6).
struct AuthorizationCodeGrant: Sendable {
    let auth: AuthService
    let codes: AuthorizationCodeStore

    func redeem(
        code: String?,
        redirectURI: String?,
        verifier: String?,
        clientID: String?,
        issuer: String
    ) throws(AuthError)
        -> GrantOutcome
    {
        guard let code, let clientID else {
            throw AuthError.invalidRequest("the authorization_code grant needs code and client_id")
        }
        let grant: AuthorizationGrant
        switch codes.redeem(code) {
        case .granted(let granted): grant = granted
        case .unknown: throw AuthError.invalidGrant("unknown authorization code")
        case .expired: throw AuthError.invalidGrant("the authorization code expired (codes live 60s); log in again")
        case .reused(let sessionID):
            if let sessionID { auth.sessions.revoke(sessionID: sessionID) }
            throw AuthError.invalidGrant(
                "authorization code already used: the tokens issued for it are revoked (RFC 6749 4.1.2)"
            )
        }
        guard grant.clientID == clientID else {
            throw AuthError.invalidGrant("the code was issued to another client_id")
        }
        guard grant.redirect.uri == redirectURI else {
            throw AuthError.invalidGrant("redirect_uri differs from the authorization request's (RFC 6749 4.1.3)")
        }
        guard let verifier else { throw AuthError.invalidRequest("missing code_verifier (PKCE, RFC 7636 4.5)") }
        guard PKCEChallenge.verifies(verifier: verifier, challenge: grant.challenge) else {
            throw AuthError.invalidGrant("code_verifier does not match the code_challenge (RFC 7636 4.6)")
        }
        let tokens = auth.login(subject: grant.subject)
        codes.bind(code, to: tokens.session.id)
        let request = IDTokenRequest(issuer: issuer, clientID: clientID, scope: grant.scope, nonce: grant.nonce)
        return GrantOutcome(tokens: tokens, idToken: auth.idToken(for: tokens, request), scope: grant.scope)
    }
}

/// `grant_type=urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 §3.4–3.5).
struct DeviceCodeGrant: Sendable {
    static let grantType = "urn:ietf:params:oauth:grant-type:device_code"
    let auth: AuthService
    let devices: DeviceGrantStore

    func redeem(deviceCode: String?, clientID: String?, issuer: String) throws(AuthError) -> GrantOutcome {
        guard let deviceCode, let clientID else {
            throw AuthError.invalidRequest("the device_code grant needs device_code and client_id")
        }
        switch devices.poll(deviceCode: deviceCode, clientID: clientID) {
        case .approved(let subject, let scope):
            let tokens = auth.login(subject: subject)
            let request = IDTokenRequest(issuer: issuer, clientID: clientID, scope: scope, nonce: nil)
            return GrantOutcome(tokens: tokens, idToken: auth.idToken(for: tokens, request), scope: scope)
        case .pending: throw Self.error("authorization_pending", "the user has not decided yet")
        case .slowDown: throw Self.error("slow_down", "polled sooner than the interval; wait 5s longer from now on")
        case .denied: throw Self.error("access_denied", "the user denied the device")
        case .expired: throw Self.error("expired_token", "the device code expired; ask for a new one")
        case .unknown: throw AuthError.invalidGrant("unknown device code, or issued to another client_id")
        }
    }

    /// §3.5: these are §5.2 error answers, 400 with the code.
    private static func error(_ code: String, _ description: String) -> AuthError {
        AuthError(status: .badRequest, code: code, description: description)
    }
}
