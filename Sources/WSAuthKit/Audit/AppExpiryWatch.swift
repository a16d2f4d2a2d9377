/// `--watch-expiry` with `--app`: the app session (Socket.IO CONNECT accepted) is
/// kept alive through the protocol's own heartbeat — Engine.IO closes a client
/// that stops answering pings, which would look like a disconnect at expiry — and
/// the server's end is read at both levels: the app's (`41`) or the WebSocket's.
extension AuditCheck {
    static func watchAppExpiry(_ context: AuditContext, factory: ApplicationProtocolFactory,
                               token: PresentedCredential, expiry: Timestamp) -> Finding {
        var upgrade = context.plan(token)
        let credential = upgrade.authMessage.map(Secret.init)
        upgrade.authMessage = nil
        let session: AppWatch
        switch context.prober.open(upgrade) {
        case .failure(let outcome): return Finding(.skip, "the socket to watch could not be opened: the handshake \(outcome.evidence)")
        case .success(let watch):
            session = AppWatch(watch, app: factory(credential),
                               perform: performer(context.prober.appRequests, token: credential))
        }
        let limit = Deadline.earliest(context.prober.deadline, .after(seconds: HandshakeProber.handshakeLimit))
        let opened = session.handshake(until: limit)
        guard opened == .accepted else {
            session.closeNormally()
            return Finding(.skip, "the session to watch was not opened: the handshake \(opened.attemptOutcome(app: session.name, verdict: session.closeVerdict).evidence)")
        }
        let end = Deadline.earliest(context.prober.deadline, .after(seconds: expiry.timeIntervalSinceNow + context.grace.seconds))
        let ending = session.stayOpen(until: end)
        switch ending {
        case .serverEnded(let reason, let time):
            session.watch.closeNormally()
            return AuditRules.appExpiryWatch(app: session.name, reason: reason, secondsAfterExpiry: time.timeIntervalSince(expiry), grace: context.grace)
        case .closed(let code, let reason, let time):
            return AuditRules.expiryWatch(code: code, reason: reason, secondsAfterExpiry: time.timeIntervalSince(expiry), grace: context.grace)
        case .timedOut(let why), .violation(let why):
            session.watch.closeNormally()
            return Finding(.skip, "\(session.name) broke off the watch (\(why)): expiry was not observed")
        case .accepted, .refused, .silent, .stillOpen:
            session.closeNormally()
            guard Timestamp.now >= expiry.addingTimeInterval(context.grace.seconds) else {
                return Finding(.skip, "-m/--max-time ended the watch before the token's exp + --grace")
            }
            return AuditRules.expiryWatch(code: nil, reason: "", secondsAfterExpiry: Timestamp.now.timeIntervalSince(expiry), grace: context.grace)
        }
    }
}
