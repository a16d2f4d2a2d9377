/// `--watch-expiry`: stay connected past the token's `exp` (+ `--grace`) and see
/// whether, when and with which code the server closes. SignalR, for one, keeps
/// such a socket open unless told otherwise (anchors.md).
extension AuditCheck {
    static let watchExpiry = AuditCheck(.watchExpiry, needs: [.token, .watchRequested]) { context in
        guard let expiry = context.tokenExpiry, let token = context.presentedToken else {
            return Finding(.skip, "the token has no exp claim (or is not a JWT): there is no expiry to watch")
        }
        let left = expiry.timeIntervalSinceNow
        guard left > 0 else {
            return Finding(.skip, "the token expired \(TimeSpan.format(seconds: -left)) ago, before the watch could begin")
        }
        context.notify("watch-expiry: staying connected until the token's exp (in \(TimeSpan.format(seconds: left))) + \(context.grace)")
        if let factory = context.prober.app {
            return watchAppExpiry(context, factory: factory, token: token, expiry: expiry)
        }
        let watch: SocketWatch
        switch context.prober.open(context.plan(token)) {
        case .failure(let outcome): return Finding(.skip, "the socket to watch could not be opened: the handshake \(outcome.evidence)")
        case .success(let opened): watch = opened
        }
        let end = Deadline.earliest(context.prober.deadline, .after(seconds: left + context.grace.seconds))
        switch watch.wait(until: end) {
        case .closed(let code, let reason, let time):
            return AuditRules.expiryWatch(code: code, reason: reason, secondsAfterExpiry: time.timeIntervalSince(expiry), grace: context.grace)
        case .stillOpen:
            watch.closeNormally()
            guard Timestamp.now >= expiry.addingTimeInterval(context.grace.seconds) else {
                return Finding(.skip, "-m/--max-time ended the watch before the token's exp + --grace")
            }
            return AuditRules.expiryWatch(code: nil, reason: "", secondsAfterExpiry: Timestamp.now.timeIntervalSince(expiry), grace: context.grace)
        }
    }
}
