/// One real handshake per attempt (HandshakeRunner) — with `--app`, the app's own
/// handshake after it (AppWatch) — kept open for `settle` to see whether the server
/// drops it, then closed with 1000.
public struct LiveHandshakeProbe: HandshakeProbe {
    public var transport: TransportOptions
    /// How long an upgraded socket must stay open to count as accepted.
    public var settle: TimeSpan
    /// `-m/--max-time` for the whole run.
    public var deadline: Deadline
    /// `-v`: each handshake's request and answer, as `handshake` or `rejected` events.
    public var trace: ((Event) -> Void)?
    /// `--app`: the protocol whose handshake follows the upgrade, made with the
    /// token the plan's `appToken` says.
    public var app: AppSessionFactory?
    /// `--app`: its HTTP step (Pusher's channel authorization), performed with the
    /// token the plan's `appToken` says (none for nil), so that the app judges that one.
    public var appRequests: AppCredentialHTTPPerformer?

    public init(transport: TransportOptions, settle: TimeSpan, deadline: Deadline) {
        self.transport = transport
        self.settle = settle
        self.deadline = deadline
    }

    public func attempt(_ plan: HandshakePlan) -> ProbeOutcome {
        let watch: SocketWatch
        let report: HandshakeReport
        switch open(plan) {
        case .refused(let outcome): return outcome
        case .open(let opened, let answer): (watch, report) = (opened, answer)
        }
        if let app {
            let session = AppWatch(
                watch,
                app: app(plan.appToken),
                perform: performer(appRequests, token: plan.appToken)
            )
            return appAttempt(session, report: report)
        }
        switch watch.wait(until: .earliest(deadline, .after(settle))) {
        case .closed(let code, let reason, _):
            return .closed(report, code: code, reason: reason, after: plan.authMessage == nil ? .upgrade : .credential)
        case .stillOpen:
            watch.closeNormally()
            return .accepted(report, settle: settle)
        }
    }

    public func hold(_ plan: HandshakePlan, for span: TimeSpan, pingEvery: TimeSpan?) -> HoldOutcome {
        let watch: SocketWatch
        let report: HandshakeReport
        switch open(plan) {
        case .refused(let outcome): return .notOpened(outcome)
        case .open(let opened, let answer): (watch, report) = (opened, answer)
        }
        let session = app.map {
            AppWatch(watch, app: $0(plan.appToken), perform: performer(appRequests, token: plan.appToken))
        }
        if let session {
            let answer = session.handshake(until: .earliest(deadline, .after(HandshakeBound.appHandshake)))
            guard answer == .accepted else {
                session.closeNormally()
                return .notOpened(Self.appVerdict(answer, session: session, report: report))
            }
        }
        let opened = Clock.now()
        let end = Deadline.earliest(deadline, .after(span))
        while !end.hasPassed {
            let wake = pingEvery.map { Deadline.earliest(end, .after($0)) } ?? end
            if let ending = session.map({ Self.ending($0.stayOpen(until: wake), app: $0.name) })
                ?? Self.ending(watch.wait(until: wake))
            {
                if case .appEnded = ending { session?.watch.closeNormally() }
                if case .appBroke = ending { session?.watch.closeNormally() }
                return .held(opened: opened, ending: ending, ended: Clock.now())
            }
            if pingEvery != nil { watch.ping() }
        }
        if let session { session.closeNormally() } else { watch.closeNormally() }
        return .held(opened: opened, ending: .stillOpen, ended: Clock.now())
    }

    private enum Opening {
        case open(SocketWatch, HandshakeReport)
        /// Not upgraded: rejected, or no answer.
        case refused(ProbeOutcome)
    }

    /// Opens a socket and sends the plan's first message, if it has one.
    private func open(_ plan: HandshakePlan) -> Opening {
        let limit = Deadline.earliest(deadline, .after(HandshakeBound.probe))
        do throws(Failure) {
            switch try HandshakeRunner.open(
                plan,
                transport: transport,
                maxMessageSize: 1 << 20,
                deadline: limit,
                runDeadline: deadline,
                tokenPlacement: nil
            ) {
            case .rejected(let rejection):
                trace?(Event(.rejected(rejection)))
                return .refused(.rejected(rejection))
            case .open(let socket):
                trace?(Event(.handshake(socket.report)))
                let watch = SocketWatch(socket)
                if let message = plan.authMessage { watch.send(text: message) }
                return .open(watch, socket.report)
            }
        } catch {
            return .refused(.failed(error))
        }
    }

    /// The app-level handshake, then the settle time with its keepalives answered.
    private func appAttempt(_ session: AppWatch, report: HandshakeReport) -> ProbeOutcome {
        defer { session.closeNormally() }
        let answer = session.handshake(until: .earliest(deadline, .after(HandshakeBound.appHandshake)))
        guard answer == .accepted else { return Self.appVerdict(answer, session: session, report: report) }
        switch session.stayOpen(until: .earliest(deadline, .after(settle))) {
        case .closed(let code, let reason, _):
            return .closed(report, code: code, reason: reason, after: .appSession(app: session.name))
        case .refused(let message), .serverEnded(let message, _):
            return .appRefused(report, app: session.name, message: message)
        case .timedOut(let why): return .appSilent(report, app: session.name, why: .timedOut(why))
        case .violation(let why): return .appSilent(report, app: session.name, why: .violation(why))
        case .accepted, .stillOpen, .silent: return .appAccepted(report, app: session.name)
        }
    }

    /// The app's answer to its handshake. A close the protocol reads as a refusal
    /// (graphql-ws 4401/4403) is one; any other close answered the credential.
    private static func appVerdict(
        _ answer: AppWatch.Outcome,
        session: AppWatch,
        report: HandshakeReport
    ) -> ProbeOutcome {
        switch answer {
        case .accepted, .stillOpen:
            return .appAccepted(report, app: session.name)
        case .refused(let message), .serverEnded(let message, _):
            return .appRefused(report, app: session.name, message: message)
        case .closed(let code, let reason, _):
            if case .refused(let message)? = session.closeVerdict(code: code, reason: reason) {
                return .appRefused(report, app: session.name, message: message)
            }
            return .closed(report, code: code, reason: reason, after: .credential)
        case .silent: return .appSilent(report, app: session.name, why: .noAnswer(within: HandshakeBound.appHandshake))
        case .timedOut(let why): return .appSilent(report, app: session.name, why: .timedOut(why))
        case .violation(let why): return .appSilent(report, app: session.name, why: .violation(why))
        }
    }

    private static func ending(_ ending: SocketWatch.Ending) -> HoldEnding? {
        switch ending {
        case .stillOpen: nil
        case .closed(let code, let reason, _): .closed(code: code, reason: reason)
        }
    }

    private static func ending(_ outcome: AppWatch.Outcome, app: String) -> HoldEnding? {
        switch outcome {
        case .stillOpen, .accepted: nil
        case .closed(let code, let reason, _): .closed(code: code, reason: reason)
        case .serverEnded(let reason, _), .refused(let reason): .appEnded(app: app, reason: reason)
        case .silent: .appBroke(app: app, why: "no answer")
        case .timedOut(let why), .violation(let why): .appBroke(app: app, why: why)
        }
    }
}
