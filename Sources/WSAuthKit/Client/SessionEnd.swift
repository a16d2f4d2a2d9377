/// How one connection ended, before the command turns it into an exit status:
/// the one answer to "how did it end", whoever ended it (cli.md "Exit codes").
public enum SessionEnd: Sendable, Equatable {
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
    /// The peer broke the application protocol; we closed with 1002.
    case appViolation(app: String, detail: String)
}

/// What the session asks its driver to do; the driver carries the actions out in order.
public enum SessionAction: Sendable {
    /// Open a connection presenting this token; the handshake must end by `deadline`
    /// (monotonic seconds, nil for none).
    case connect(token: Secret?, deadline: Double?)
    /// Bytes for the socket, in order.
    case write([UInt8])
    case emit(Event)
    /// A data message for stdout (or a `message` event).
    case received(MessagePayload)
    /// An application message (`--app`) for stdout (or a `message` event).
    case receivedApp(AppMessage)
    /// Get a fresh token; answer with `refreshed` or `refreshFailed`.
    case refresh
    /// The connection is over: end TCP now rather than when the socket is released,
    /// for the REPL may wait long for the person while the server waits for us
    /// (RFC 6455 §7.1.1).
    case endConnection
    /// The connection is over and `--reconnect` will not retry: the REPL lets the
    /// person choose (`personChose`); `failure` is a connect error not yet reported.
    case askPerson(after: Failure?)
    /// The session is over: nil is success (exit 0).
    case finish(Failure?)
}

/// Makes the application protocol for one connection, from the token then in use
/// (a reconnect after a refresh puts the new token in the app's auth payload).
public typealias ApplicationProtocolFactory = @Sendable (Secret?) -> any ApplicationProtocol
