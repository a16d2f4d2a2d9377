/// How one connection ended, before the command turns it into an exit status:
/// the one answer to "how did it end", whoever ended it (docs/reference/exit-codes.md).
public enum ConnectionEnd: Sendable, Equatable {
    /// The script was satisfied, stdin ended, or the person asked: we closed.
    case finished
    /// The server closed first; nil code when its close frame had no status (1005).
    case serverClosed(code: UInt16?, reason: String)
    /// The TCP connection ended without a close frame (1006), or the peer went silent.
    case dropped(String)
    /// The peer broke RFC 6455; we answered with this close code.
    case violation(ProtocolViolation)
    case timedOut(String)
    /// The application protocol (`--app`) refused the credentials on an open socket.
    case appRejected(app: String, message: String)
    /// The server ended the application session on an open socket (Socket.IO `41`).
    case appEnded(app: String, reason: String)
    /// The server ended the application session for a reason a new token does not
    /// change (MQTT DISCONNECT 0x8E Session taken over): exit 6, no reconnect.
    case appEndedForGood(app: String, reason: String)
    /// A drop that the application protocol blames on the token (an MQTT broker
    /// ending the connection without DISCONNECT): exit 4, and `--reconnect`
    /// refreshes first.
    case appDropped(app: String, message: String)
    /// The peer broke the application protocol; we closed with 1002.
    case appViolation(app: String, detail: String)
    /// The server closed with a code that says we broke its application protocol
    /// (graphql-ws 4400/4408/4409/4429); `detail` names the code and its meaning.
    case appProtocolError(app: String, detail: String)
}

extension ConnectionEnd {
    /// Why an ended connection deserves another try, or nil when it does not: a
    /// drop, or the server saying the token expired. Other closes are answers.
    func reconnectCause(script: SessionScript) -> String? {
        switch self {
        case .dropped(let message), .appDropped(_, let message):
            return message
        case .serverClosed(let code, let reason):
            guard let code, script.authCloseCodes.contains(code) else { return nil }
            return "close \(code)\(reason.isEmpty ? "" : " \"\(reason)\"")"
        case .appRejected(let app, let message):
            return "\(app) refused the credentials: \(message)"
        case .appEnded(let app, let reason):
            return "the server ended the \(app) session\(reason.isEmpty ? "" : ": \(reason)")"
        case .finished, .violation, .timedOut, .appViolation, .appProtocolError, .appEndedForGood:
            return nil
        }
    }

    /// Whether a refresh should come before the retry: the server ended the
    /// session on purpose, most likely because the token expired.
    var blamesTheToken: Bool {
        switch self {
        case .serverClosed, .appRejected, .appEnded, .appDropped: true
        default: false
        }
    }
}
