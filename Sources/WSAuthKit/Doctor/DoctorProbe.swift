/// What one doctor handshake came to, with everything the checks read from it.
public enum DoctorAttempt: Sendable {
    /// 101, and the socket still open once the settle time passed.
    case accepted(HandshakeReport)
    /// 101, then a close within the settle time (an auth message answered with a
    /// close, or a server that upgrades everyone and then drops the unknown ones).
    case closedAfterUpgrade(HandshakeReport, code: UInt16, reason: String)
    /// `--app`: 101, then the app refused the credentials at its own handshake
    /// (Socket.IO CONNECT_ERROR `44`, or `41` before it accepted) with its message.
    case appRefused(HandshakeReport, app: String, message: String)
    /// `--app`: 101, then no answer to the app handshake in time, or an answer
    /// that is not the app's protocol (another `--app`, path or namespace).
    case appSilent(HandshakeReport, app: String, why: String)
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
        case .appRefused, .appSilent, .rejected, .failed: false
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
    /// `--app`: the protocol whose handshake follows the upgrade. The plan's auth
    /// message is then its credential (the auth payload's token), not a message of its own.
    public var app: ApplicationProtocolFactory?
    /// How long the app may take to answer its handshake.
    static let appLimit = 5.0

    public init(transport: TransportOptions, settle: TimeSpan, deadline: Deadline) {
        self.transport = transport
        self.settle = settle
        self.deadline = deadline
    }

    public func attempt(_ plan: HandshakePlan) -> DoctorAttempt {
        var upgrade = plan
        if app != nil { upgrade.authMessage = nil }
        do throws(Failure) {
            let limit = Deadline.earliest(deadline, .after(seconds: 15))
            switch try HandshakeRunner.open(upgrade, transport: transport, maxMessageSize: 1 << 20, deadline: limit, tokenPlacement: nil) {
            case .rejected(let rejection):
                trace?(Event(.rejected(rejection)))
                return .rejected(rejection)
            case .open(let socket):
                trace?(Event(.handshake(socket.report)))
                let watch = SocketWatch(socket)
                if let app { return appAttempt(AppWatch(watch, app: app(plan.authMessage.map(Secret.init))), report: socket.report) }
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

    /// The app-level handshake, then the settle time with its keepalives answered.
    private func appAttempt(_ session: AppWatch, report: HandshakeReport) -> DoctorAttempt {
        defer { session.closeNormally() }
        var outcome = session.handshake(until: .earliest(deadline, .after(seconds: Self.appLimit)))
        if outcome == .accepted { outcome = session.stayOpen(until: .earliest(deadline, .after(settle))) }
        switch outcome {
        case .accepted, .stillOpen: return .accepted(report)
        case .refused(let message), .serverEnded(let message, _): return .appRefused(report, app: session.name, message: message)
        case .closed(let code, let reason, _): return .closedAfterUpgrade(report, code: code, reason: reason)
        case .silent: return .appSilent(report, app: session.name, why: "no answer to its handshake within \(TimeSpan(seconds: Self.appLimit))")
        case .timedOut(let why), .violation(let why): return .appSilent(report, app: session.name, why: why)
        }
    }
}
