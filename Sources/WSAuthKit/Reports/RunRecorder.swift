/// Keeps the events of a run that its CI reports are made of: the first accepted
/// handshake, the last refusal and the last close (a `--reconnect` run has several).
public final class RunRecorder {
    public private(set) var handshake: HandshakeReport?
    public private(set) var rejection: RejectionReport?
    public private(set) var close: CloseReport?

    public init() {}

    public func record(_ event: Event) {
        switch event.kind {
        case .handshake(let report) where handshake == nil: handshake = report
        case .rejected(let report): rejection = report
        case .close(let report): close = report
        default: break
        }
    }
}
