/// Where a session's events and received messages go. The executable provides
/// a human and a JSON-lines implementation.
public protocol SessionOutput: AnyObject {
    func emit(_ event: Event)
    /// A received data message (in JSON mode, a `message` event).
    func received(_ payload: MessagePayload)
    /// Called before the loop waits, so that buffered output reaches the reader.
    func flush()
}

/// How one connection ended, before the command turns it into an exit status.
public enum SessionEnd: Sendable, Equatable {
    /// The script was satisfied (or stdin ended) and we closed.
    case finished
    /// The server closed first; nil code when its close frame had no status (1005).
    case serverClosed(code: UInt16?, reason: String)
    /// The TCP connection ended without a close frame (1006).
    case dropped(String)
    /// The peer broke RFC 6455; we answered with this close code.
    case violation(ProtocolViolation)
    case timedOut(String)
}
