/// Where a session's events and received messages go. The executable provides
/// a human and a JSON-lines implementation.
public protocol SessionOutput: AnyObject {
    func emit(_ event: Event)
    /// A received data message (in JSON mode, a `message` event).
    func received(_ payload: MessagePayload)
    /// A message of the application protocol (`--app`); by default its text as a line.
    func received(_ message: AppMessage)
    /// `--app`: the frame an application message or keepalive came in; not shown
    /// by default (pipe and JSON output carry the protocol's messages, not its frames).
    func receivedFrame(_ payload: MessagePayload)
    /// Called before the loop waits, so that buffered output reaches the reader.
    func flush()
}

extension SessionOutput {
    public func received(_ message: AppMessage) { received(.text(message.text)) }
    public func receivedFrame(_ payload: MessagePayload) {}
}
