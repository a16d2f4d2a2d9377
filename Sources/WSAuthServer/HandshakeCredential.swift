import HTTPTypes
import Hummingbird

/// Where a client put its credential for `/ws`, named as wsauth's `--token-in` names them.
enum TokenPlacement: String, Sendable, Codable {
    /// `Authorization: Bearer <token>` (RFC 6750 §2.1).
    case header
    /// `?token=<token>` (RFC 6750 §2.3; refused unless `--allow-query-token`).
    case query
    /// `Sec-WebSocket-Protocol: base64url.bearer.authorization.k8s.io.<token>` (what
    /// browsers can do, since they cannot set headers), or a raw JWT offered as a protocol.
    case `protocol`
    /// The `wsauth_session` cookie set at login, or an access token in the
    /// `token` cookie (wsauth's `--token-in cookie`).
    case cookie
    /// `X-Session-Token: <session ID>`, for clients without cookies.
    case sessionHeader = "session-header"
    /// `{"type":"auth","token":…}` as the first message of `/ws?auth=message`.
    case message
}

/// A credential as presented at the handshake, not yet checked.
enum HandshakeCredential: Sendable {
    case accessToken(String, TokenPlacement)
    case sessionID(String, TokenPlacement)
    /// The Kubernetes subprotocol was offered but its payload is not base64url.
    case malformedProtocolToken

    /// The Kubernetes bearer-token subprotocol prefix; the rest is the token in
    /// unpadded base64url (subprotocol values must be RFC 7230 tokens, RFC 6455 §4.1).
    /// The cookie that carries an access token, as a browser app might set it.
    static let accessTokenCookie = "token"

    static let kubernetesProtocolPrefix = "base64url.bearer.authorization.k8s.io."

    /// The first credential found, in the order header, protocol, query, cookies,
    /// session header: the most deliberate placement wins, and only it is checked.
    static func find(in request: Request, allowQuery: Bool) -> HandshakeCredential? {
        if let bearer = BearerCredential.token(in: request.headers) {
            return .accessToken(bearer, .header)
        }
        if let fromProtocol = protocolCredential(offered: Subprotocols.offered(in: request.headers)) {
            return fromProtocol
        }
        if allowQuery, let token = queryToken(in: request) {
            return .accessToken(token, .query)
        }
        if let session = request.cookies[SessionCookie.name]?.value, !session.isEmpty {
            return .sessionID(session, .cookie)
        }
        if let token = request.cookies[accessTokenCookie]?.value, !token.isEmpty {
            return .accessToken(token, .cookie)
        }
        if let session = request.headers[.sessionToken], !session.isEmpty {
            return .sessionID(session, .sessionHeader)
        }
        return nil
    }

    static func queryToken(in request: Request) -> String? {
        request.uri.queryParameters["token"].map(String.init)
    }

    private static func protocolCredential(offered: [String]) -> HandshakeCredential? {
        for name in offered {
            if name.hasPrefix(kubernetesProtocolPrefix) {
                let encoded = name.dropFirst(kubernetesProtocolPrefix.count)
                guard let bytes = Base64URL.decode(encoded), let token = String(validating: bytes, as: UTF8.self) else {
                    return .malformedProtocolToken
                }
                return .accessToken(token, .protocol)
            }
            if looksLikeJWT(name) {
                return .accessToken(name, .protocol)
            }
        }
        return nil
    }

    /// A compact JWS whose header is a JSON object: `eyJ` is base64url for `{"`.
    static func looksLikeJWT(_ text: String) -> Bool {
        text.hasPrefix("eyJ") && text.split(separator: ".", omittingEmptySubsequences: false).count == 3
    }
}
