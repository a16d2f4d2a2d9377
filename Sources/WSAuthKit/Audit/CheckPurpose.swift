/// What each check judges, in one sentence: the help of its SARIF rule
/// (docs/ci.md) and of the reference (docs/reference/audit-checks.md).
extension CheckName {
    public var judges: String {
        switch self {
        case .plainWS:
            "Credentials must not travel over plain ws:// to a host that is not loopback (RFC 6455 §10.6): anyone on the path can read and replay them."
        case .loginCookies:
            "The session cookies a login sets must be safe for a WebSocket: Secure with SameSite=None, HttpOnly on a session cookie, a Domain that matches the WebSocket host."
        case .noCredentials:
            "A handshake without any credentials must be refused."
        case .malformedToken:
            "A handshake with a token that is not a well-formed token must be refused."
        case .tamperedSignature:
            "A JWT whose signature was tampered with must be refused."
        case .algNone:
            "A JWT re-signed with \"alg\":\"none\" (no signature) must be refused."
        case .placementHeader:
            "Which placements the server accepts the token in: the Authorization header."
        case .placementQuery:
            "A token accepted in the query string leaks into access logs, proxies and browser history (a warning)."
        case .placementProtocol:
            "Which placements the server accepts the token in: the Sec-WebSocket-Protocol header (the Kubernetes form)."
        case .placementCookie:
            "Which placements the server accepts the token in: a cookie."
        case .placementMessage:
            "Which placements the server accepts the token in: the first message after the handshake."
        case .originForeign:
            "A handshake from a foreign Origin with a valid session cookie must be refused (cross-site WebSocket hijacking, RFC 6455 §10.2)."
        case .originNull:
            "A handshake from the Origin null (sandboxed iframes, file: pages) with valid credentials must be refused."
        case .originSuffix:
            "A handshake from an Origin that merely starts with the server's host (https://HOST.evil.example) must be refused."
        case .originPrefix:
            "A handshake from an Origin that merely ends with the server's host (https://evilHOST) must be refused."
        case .originScheme:
            "A wss:// socket must refuse its own host's plain http:// Origin, a page a network attacker can write."
        case .watchExpiry:
            "An open socket must be closed no later than --grace after its token's exp."
        case .expiredToken:
            "A handshake with an expired token must be refused."
        case .afterLogout:
            "A token or session cookie must be refused once logout has revoked it."
        }
    }
}
