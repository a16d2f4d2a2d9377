/// `--watch-expiry`: stay connected past the token's `exp` (+ `--grace`) and see
/// whether, when and with which code the server closes. SignalR, for one, keeps
/// such a socket open unless told otherwise (anchors.md).
extension AuditCheck {
    static let watchExpiry = AuditCheck(.watchExpiry, needs: [.token, .watchRequested]) { context in
        guard let expiry = context.tokenExpiry, let token = context.presentedToken else {
            return AuditFinding(.skip, "the token has no exp claim (or is not a JWT): there is no expiry to watch")
        }
        let left = expiry.timeIntervalSinceNow
        guard left > 0 else {
            return AuditFinding(
                .skip,
                "the token expired \(TimeSpan.format(seconds: -left)) ago, before the watch could begin"
            )
        }
        context.notify(
            "watch-expiry: staying connected until the token's exp (in \(TimeSpan.format(seconds: left))) + \(context.grace)"
        )
        // Monotonic from here: the close is timed against exp on one clock.
        let expiresAt = Clock.now() + left
        let span = TimeSpan(seconds: left + context.grace.seconds)
        let grace = context.grace
        switch context.probe.hold(context.plan(token), for: span, pingEvery: nil) {
        case .notOpened(let outcome):
            let what = outcome.report == nil ? "socket to watch could not be" : "session to watch was not"
            return AuditFinding(.skip, "the \(what) opened: the handshake \(outcome.evidence)")
        case .held(_, .closed(let code, let reason), let ended):
            return AuditRules.expiryWatch(
                code: code,
                reason: reason,
                secondsAfterExpiry: ended - expiresAt,
                grace: grace
            )
        case .held(_, .appEnded(let app, let reason), let ended):
            return AuditRules.appExpiryWatch(
                app: app,
                reason: reason,
                secondsAfterExpiry: ended - expiresAt,
                grace: grace
            )
        case .held(_, .appBroke(let app, let why), _):
            return AuditFinding(.skip, "\(app) broke off the watch (\(why)): expiry was not observed")
        case .held(_, .stillOpen, let ended):
            guard ended >= expiresAt + grace.seconds else {
                return AuditFinding(.skip, "-m/--max-time ended the watch before the token's exp + --grace")
            }
            return AuditRules.expiryWatch(code: nil, reason: "", secondsAfterExpiry: ended - expiresAt, grace: grace)
        }
    }
}
