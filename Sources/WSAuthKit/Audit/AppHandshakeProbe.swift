/// `audit --app`: a credential is judged where the app judges it. Socket.IO
/// upgrades every socket and authenticates in CONNECT, so a 101 proves nothing;
/// `40{"sid"}` for a forged, expired or missing token is the FAIL (cli.md
/// "Application protocols").
extension HandshakeProber {
    /// The plan carries the app's credential as its auth message (the token, or
    /// an empty one for "no credentials"): it goes into the app's own handshake,
    /// not onto the wire as a message of its own.
    func attempt(_ plan: HandshakePlan, app factory: ApplicationProtocolFactory) -> AttemptOutcome {
        var upgrade = plan
        let token = upgrade.authMessage.map(Secret.init)
        upgrade.authMessage = nil
        let watch: SocketWatch
        switch open(upgrade) {
        case .failure(let outcome): return outcome
        case .success(let opened): watch = opened
        }
        defer { watch.closeNormally() }
        var app = factory(token)
        let limit = Deadline.earliest(deadline, .after(seconds: HandshakeProber.handshakeLimit))
        var actions = app.start(now: Clock.now())
        while true {
            for action in actions {
                if let outcome = carryOut(action, app: app.name, watch: watch) { return outcome }
            }
            guard let message = watch.nextMessage(until: limit) else {
                guard let close = watch.serverClose else {
                    return .failed(.timeout, "no answer to the \(app.name) handshake in time")
                }
                return closed(close.code, close.reason, app: app)
            }
            actions = app.receive(message, now: Clock.now())
        }
    }

    /// The server closed before the app handshake finished: graphql-ws says with
    /// 4401/4403 that it refused the credential; any other close leaves nothing to judge.
    private func closed(_ code: UInt16, _ reason: String, app: any ApplicationProtocol) -> AttemptOutcome {
        if case .refused(let message)? = app.closeVerdict(code: code, reason: reason) {
            return .appRefused(app: app.name, message: message)
        }
        let why = reason.isEmpty ? "" : " \"\(reason)\""
        return .failed(.protocol, "\(app.name): the server closed with \(code)\(why) before its handshake finished")
    }

    private func carryOut(_ action: AppAction, app: String, watch: SocketWatch) -> AttemptOutcome? {
        switch action {
        case .transmit(.text(let text), _): watch.send(text: text)
        case .transmit(.binary, _), .deliver, .keepalive, .notice: break
        case .accepted: return .appAccepted(app: app)
        case .rejected(let message): return .appRefused(app: app, message: message)
        case .serverEnded(let reason): return .appRefused(app: app, message: reason)
        case .timedOut(let why), .violation(let why): return .failed(.protocol, "\(app): \(why)")
        case .closeWebSocket: return .failed(.protocol, "\(app) ended before its handshake")
        }
        return nil
    }
}
