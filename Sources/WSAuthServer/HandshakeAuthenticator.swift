import Hummingbird

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Who opened a socket, and how: what the echo endpoint needs to answer `whoami` and
/// to close the socket at the right time.
struct Admission: Sendable {
    let subject: String
    let sessionID: String
    /// The access token's `exp`; nil for a socket opened with a session.
    let expiry: Date?
    let placement: TokenPlacement
}

/// What the handshake decided.
enum HandshakeDecision: Sendable {
    case admit(Admission)
    /// `/ws?auth=message`: credentials come in the first message.
    case awaitAuthMessage
    case reject(HandshakeRejection)
}

/// The `/ws` admission rules: Origin first, then one credential, checked in full.
struct HandshakeAuthenticator: Sendable {
    let auth: AuthService
    let allowedOrigins: Set<String>
    let acceptExpired: Bool
    let allowQueryToken: Bool
    let ignoreOrigin: Bool

    init(auth: AuthService, configuration: ReferenceServerConfiguration) {
        self.auth = auth
        self.allowedOrigins = Set(configuration.allowedOrigins.map(Self.normalized))
        self.acceptExpired = configuration.acceptExpired
        self.allowQueryToken = configuration.allowQueryToken
        self.ignoreOrigin = configuration.ignoreOrigin
    }

    func decide(_ request: Request, now: Date = Date()) -> HandshakeDecision {
        if let refusal = originRefusal(request) { return .reject(refusal) }
        if request.uri.queryParameters["auth"] == "message" { return .awaitAuthMessage }
        if !allowQueryToken, HandshakeCredential.queryToken(in: request) != nil {
            return .reject(
                .refusedPlacement(
                    "a token in the query string is refused: URLs end up in server, proxy and browser logs (RFC 6750 5.3). Send Authorization: Bearer, the Sec-WebSocket-Protocol form or a first message instead (or start the server with --allow-query-token)"
                )
            )
        }
        switch HandshakeCredential.find(in: request, allowQuery: allowQueryToken) {
        case nil:
            return .reject(
                .missingCredential(
                    "no credentials: send Authorization: Bearer <token>, Sec-WebSocket-Protocol base64url.bearer.authorization.k8s.io.<token>, the \(SessionCookie.name) cookie or X-Session-Token, or use /ws?auth=message"
                )
            )
        case .malformedProtocolToken:
            return .reject(.invalidToken("the bearer subprotocol does not hold unpadded base64url"))
        case .accessToken(let token, let placement):
            switch admit(accessToken: token, placement: placement, now: now) {
            case .success(let admission): return .admit(admission)
            case .failure(let rejection): return .reject(.invalidToken(rejection.description))
            }
        case .sessionID(let sessionID, let placement):
            switch auth.sessions.lookup(sessionID: sessionID, now: now) {
            case .active(let session):
                return .admit(
                    Admission(subject: session.subject, sessionID: session.id, expiry: nil, placement: placement)
                )
            case .revoked: return .reject(.invalidToken("the session was logged out or revoked; log in again"))
            case .expired: return .reject(.invalidToken("the session expired; log in again"))
            case .unknown: return .reject(.invalidToken("unknown session"))
            }
        }
    }

    /// Checks an access token from any placement, the first message's included.
    func admit(
        accessToken: String,
        placement: TokenPlacement,
        now: Date = Date()
    ) -> Result<Admission, AccessTokenRejection> {
        do {
            let (claims, session) = try auth.authenticate(
                accessToken: accessToken,
                allowExpired: acceptExpired,
                now: now
            )
            return .success(
                Admission(subject: claims.sub, sessionID: session.id, expiry: claims.expiry, placement: placement)
            )
        } catch {
            return .failure(error)
        }
    }

    /// RFC 6455 §10.2: browsers send `Origin`, and cookies ride along whatever page
    /// opened the socket, so a page of another origin could act as the user
    /// (cross-site WebSocket hijacking). Same origin, a listed origin, or no Origin
    /// at all (not a browser) pass.
    private func originRefusal(_ request: Request) -> HandshakeRejection? {
        guard !ignoreOrigin, let origin = request.headers[.origin] else { return nil }
        let normalizedOrigin = Self.normalized(origin)
        if allowedOrigins.contains(normalizedOrigin) { return nil }
        if let host = request.head.authority?.lowercased(),
            normalizedOrigin == "http://\(host)" || normalizedOrigin == "https://\(host)"
        {
            return nil
        }
        return .forbiddenOrigin(
            "Origin \(origin) is not allowed to open this socket: a page there could use this browser's cookies (cross-site WebSocket hijacking). Allowed: this server's own origin\(allowedOrigins.isEmpty ? "" : ", " + allowedOrigins.sorted().joined(separator: ", ")); add one with --allowed-origin"
        )
    }

    /// RFC 6454 §6.2: origins compare as ASCII-lowercased serializations.
    private static func normalized(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
