/// What `WebSocketConnection.receive` found in the bytes it was given.
public enum ConnectionEvent: Equatable, Sendable {
    /// A complete text message, reassembled and UTF-8-checked.
    case text(String)
    /// A complete binary message, reassembled.
    case binary([UInt8])
    /// A ping; the matching pong is already queued while the connection is open.
    case ping([UInt8])
    case pong([UInt8])
    /// The peer's close frame; `code` is nil when it carried none (reported as 1005,
    /// RFC 6455 §7.1.5).
    case closeReceived(code: CloseCode?, reason: String)
    /// The peer broke the protocol; a close with `violation.closeCode` is queued.
    case protocolViolation(ProtocolViolation)
}
