/// `audit --app`: a credential is judged where the app judges it. Socket.IO
/// upgrades every socket and authenticates in CONNECT, so a 101 proves nothing;
/// `40{"sid"}` for a forged, expired or missing token is the FAIL (docs/reference/behaviour.md
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
        let session = AppWatch(watch, app: factory(token), perform: performer(appRequests, token: token))
        defer { session.closeNormally() }
        let limit = Deadline.earliest(deadline, .after(seconds: HandshakeProber.handshakeLimit))
        return session.handshake(until: limit).attemptOutcome(app: session.name, verdict: session.closeVerdict)
    }
}

extension AppWatch.Outcome {
    /// The handshake's outcome as audit judges it: a close or a `41` before the
    /// app accepted is a refusal; silence or a broken protocol cannot be judged.
    /// `verdict` is the protocol's reading of a close (graphql-ws's 4401/4403 say
    /// why it refused).
    func attemptOutcome(app: String, verdict: (UInt16, String) -> AppCloseVerdict?) -> AttemptOutcome {
        switch self {
        case .accepted, .stillOpen: .appAccepted(app: app)
        case .refused(let message), .serverEnded(let message, _): .appRefused(app: app, message: message)
        case .closed(let code, let reason, _):
            if case .refused(let message)? = verdict(code, reason) { .appRefused(app: app, message: message) }
            else { .closedAfterAuthMessage(code: code, reason: reason) }
        case .silent: .failed(.timeout, "no answer to the \(app) handshake in time")
        case .timedOut(let why), .violation(let why): .failed(.protocol, "\(app): \(why)")
        }
    }
}
