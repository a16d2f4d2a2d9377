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

/// How a connection held idle (`doctor --idle`) came out.
public enum IdleOutcome: Sendable, Equatable {
    /// Still open when the time was up.
    case stayedOpen
    /// Dropped by the other side after `seconds`: with a close frame's code, or none (nil).
    case dropped(afterSeconds: Double, closeCode: UInt16?)
    /// This handshake did not open: nothing to hold.
    case notOpened
}

/// Opens one handshake; the live one goes over the wire, tests pass their own.
public protocol DoctorProbe {
    func attempt(_ plan: HandshakePlan) -> DoctorAttempt
    /// Opens `plan` and keeps it idle for `span`: nothing sent but the answers to the
    /// server's pings (and the app's keepalives), and pings every `pingInterval` if given.
    func holdIdle(_ plan: HandshakePlan, for span: TimeSpan, pingInterval: TimeSpan?) -> IdleOutcome
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
    /// `--app`: its HTTP step with the credential the plan presents (`HandshakeProber.appRequests`).
    public var appRequests: AppCredentialHTTPPerformer?
    /// How long the app may take to answer its handshake.
    static let appLimit = 5.0

    public init(transport: TransportOptions, settle: TimeSpan, deadline: Deadline) {
        self.transport = transport
        self.settle = settle
        self.deadline = deadline
    }

    /// Each handshake's bound: 15 s, or what is left of -m when it is given (docs/waits.md).
    var handshakeDeadline: Deadline {
        deadline == .never ? .after(HandshakeBound.doctor) : deadline
    }

    public func attempt(_ plan: HandshakePlan) -> DoctorAttempt {
        var upgrade = plan
        if app != nil { upgrade.authMessage = nil }
        do throws(Failure) {
            switch try HandshakeRunner.open(upgrade, transport: transport, maxMessageSize: 1 << 20, deadline: handshakeDeadline, runDeadline: deadline, tokenPlacement: nil) {
            case .rejected(let rejection):
                trace?(Event(.rejected(rejection)))
                return .rejected(rejection)
            case .open(let socket):
                trace?(Event(.handshake(socket.report)))
                let watch = SocketWatch(socket)
                if let app {
                    let token = plan.authMessage.map(Secret.init)
                    let session = AppWatch(watch, app: app(token), perform: performer(appRequests, token: token))
                    return appAttempt(session, report: socket.report)
                }
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

    public func holdIdle(_ plan: HandshakePlan, for span: TimeSpan, pingInterval: TimeSpan?) -> IdleOutcome {
        var upgrade = plan
        if app != nil { upgrade.authMessage = nil }
        guard case .open(let socket)? = try? HandshakeRunner.open(upgrade, transport: transport, maxMessageSize: 1 << 20, deadline: handshakeDeadline, runDeadline: deadline, tokenPlacement: nil)
        else { return .notOpened }
        let watch = SocketWatch(socket)
        let token = plan.authMessage.map(Secret.init)
        let session = app.map { AppWatch(watch, app: $0(token), perform: performer(appRequests, token: token)) }
        if let session {
            guard session.handshake(until: .earliest(deadline, .after(seconds: Self.appLimit))) == .accepted else {
                session.closeNormally()
                return .notOpened
            }
        } else if let message = plan.authMessage {
            watch.send(text: message)
        }
        let started = Clock.now()
        let end = Deadline.earliest(deadline, .after(span))
        while !end.hasPassed {
            let wake = pingInterval.map { Deadline.earliest(end, .after($0)) } ?? end
            if let closed = Self.closeSeen(session.map { $0.stayOpen(until: wake) } ?? Self.outcome(watch.wait(until: wake))) {
                // 1006 is ours for "no close frame" (RFC 6455 §7.1.5): the drop had none.
                return .dropped(afterSeconds: Clock.now() - started, closeCode: closed == CloseCode.abnormalClosure.rawValue ? nil : closed)
            }
            if pingInterval != nil { watch.ping() }
        }
        if let session { session.closeNormally() } else { watch.closeNormally() }
        return .stayedOpen
    }

    private static func outcome(_ ending: SocketWatch.Ending) -> AppWatch.Outcome {
        switch ending {
        case .stillOpen: .stillOpen
        case .closed(let code, let reason, let time): .closed(code: code, reason: reason, time: time)
        }
    }

    /// The close code of a session that ended (1006 when without a close frame), nil while it is up.
    private static func closeSeen(_ outcome: AppWatch.Outcome) -> UInt16? {
        switch outcome {
        case .stillOpen, .accepted: nil
        case .closed(let code, _, _): code
        case .refused, .serverEnded, .silent, .timedOut, .violation: CloseCode.abnormalClosure.rawValue
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
