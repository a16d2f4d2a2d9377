/// What one doctor handshake came to, with everything the checks read from it.
public enum DoctorAttempt: Sendable {
    /// 101, and the socket still open once the settle time passed.
    case accepted(HandshakeReport)
    /// 101, then a close within the settle time (an auth message answered with a
    /// close, or a server that upgrades everyone and then drops the unknown ones).
    case closedAfterUpgrade(HandshakeReport, code: UInt16, reason: String)
    /// Any answer other than 101.
    case rejected(RejectionReport)
    /// No answer: DNS, TCP, TLS, timeout, or an answer that broke RFC 6455.
    case failed(Failure)

    /// Whether the credentials got through: an upgrade that stays open, or one
    /// closed only with a normal code (RFC 6455 §7.4.1: 1000/1001 are not refusals).
    public var isAccepted: Bool {
        switch self {
        case .accepted: true
        case .closedAfterUpgrade(_, let code, _): code == 1000 || code == 1001
        case .rejected, .failed: false
        }
    }
}

/// Opens one handshake; the live one goes over the wire, tests pass their own.
public protocol DoctorProbe {
    func attempt(_ plan: HandshakePlan) -> DoctorAttempt
}

/// One real handshake per attempt (HandshakeRunner), kept open for `settle` to see
/// whether the server drops it, then closed with 1000.
public struct LiveDoctorProbe: DoctorProbe {
    public var transport: TransportOptions
    public var settle: TimeSpan
    public var deadline: Deadline
    /// `-v`: each handshake's request and answer.
    public var trace: ((Event) -> Void)?

    public init(transport: TransportOptions, settle: TimeSpan, deadline: Deadline) {
        self.transport = transport
        self.settle = settle
        self.deadline = deadline
    }

    public func attempt(_ plan: HandshakePlan) -> DoctorAttempt {
        do throws(Failure) {
            let limit = Deadline.earliest(deadline, .after(seconds: 15))
            switch try HandshakeRunner.open(plan, transport: transport, maxMessageSize: 1 << 20, deadline: limit, tokenPlacement: nil) {
            case .rejected(let rejection):
                trace?(Event(.rejected(rejection)))
                return .rejected(rejection)
            case .open(let socket):
                trace?(Event(.handshake(socket.report)))
                let watch = SocketWatch(socket)
                if let message = plan.authMessage { watch.send(text: message) }
                switch watch.wait(until: .earliest(deadline, .after(settle))) {
                case .closed(let code, let reason, _):
                    return .closedAfterUpgrade(socket.report, code: code, reason: reason)
                case .stillOpen:
                    watch.closeNormally()
                    return .accepted(socket.report)
                }
            }
        } catch {
            return .failed(error)
        }
    }
}
