/// Why the server closes an open socket, and the code it sends for it. Codes in
/// 4000–4999 are for private use (RFC 6455 §7.4.2); these follow the common
/// "4001 token expired / 4003 forbidden" and graphql-ws "4401 unauthorized" habits.
enum SocketClose: Error, Sendable, Equatable {
    /// The access token's `exp` has passed.
    case tokenExpired
    /// The first-message credential was missing or bad.
    case invalidAuthMessage(String)
    /// The session was logged out, or its refresh family revoked on reuse.
    case sessionRevoked
    /// `/ws?auth=message` and no auth message in time.
    case authTimeout
    /// `/socket.io/` and no accepted CONNECT in time.
    case connectTimeout
    /// The server is stopping (RFC 6455 §7.4.1, 1001 "going away").
    case serverShutdown

    var code: UInt16 {
        switch self {
        case .tokenExpired, .invalidAuthMessage: 4001
        case .sessionRevoked: 4003
        case .authTimeout, .connectTimeout: 4401
        case .serverShutdown: 1001
        }
    }

    /// A close frame's payload is at most 125 bytes, 2 of them the code (RFC 6455 §5.5).
    var reason: String {
        let text =
            switch self {
            case .tokenExpired: "token expired"
            case .invalidAuthMessage(let why): why
            case .sessionRevoked: "session revoked"
            case .authTimeout: "auth timeout"
            case .connectTimeout: "connect timeout"
            case .serverShutdown: "server shutting down"
            }
        var reason = Substring(text)
        while reason.utf8.count > 123 { reason.removeLast() }
        return String(reason)
    }
}
