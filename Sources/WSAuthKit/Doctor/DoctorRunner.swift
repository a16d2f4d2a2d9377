/// Runs the checks (docs/reference/behaviour.md `wsauth doctor`): reach, upgrade, token, cookies, then
/// consistency before placement: when some servers accept the credentials, moving
/// them elsewhere is no fix. Every handshake goes through one probe.
public struct DoctorRunner {
    /// The handshake as the flags shape it, without the token.
    public var base: HandshakePlan
    public var token: Secret?
    public var presentation: TokenPresentation
    /// The session cookie the placement search may move elsewhere.
    public var session: SessionCookieCredential?
    /// Every cookie known (stored and `-b`), whether it matches the URL or not.
    public var cookies: [NetscapeCookie] = []
    public var audience: String?
    public var repeatCount = 5
    /// `--app`: the protocol's name (the probe speaks it), and what to check when it
    /// refuses beyond where the token goes (`--auth-message`, Socket.IO's `--namespace`).
    public var app: String?
    public var appFix: String?
    /// `--idle`: how long to hold a working connection idle, and `--ping-interval`.
    public var idle: TimeSpan?
    public var pingInterval: TimeSpan?
    public let probe: any HandshakeProbe

    public init(
        base: HandshakePlan,
        token: Secret?,
        presentation: TokenPresentation,
        session: SessionCookieCredential?,
        probe: any HandshakeProbe
    ) {
        self.base = base
        self.token = token
        self.presentation = presentation
        self.session = session
        self.probe = probe
    }

    var plan: HandshakePlan {
        var plan = base
        if let token { presentation.apply(token, to: &plan) }
        return plan
    }

    public func run() -> DoctorDiagnosis {
        var diagnosis = DoctorDiagnosis()
        let first = probe.attempt(plan)
        if case .failed(let failure) = first {
            diagnosis.add(ReachCheck.diagnose(failure, url: base.url))
            diagnosis.add(
                TokenCheck(token: token, skewMs: nil, roundTripMs: nil, audience: audience, refused: false).findings()
            )
            diagnosis.add(CookieCheck.findings(cookies, url: base.url))
            return diagnosis
        }
        diagnosis.add(ReachCheck.ok(first.report, url: base.url))
        let upgrade = upgradeFinding(first)
        diagnosis.add(upgrade)
        let appCheck = app.flatMap { appFinding(first, app: $0) }
        if let appCheck { diagnosis.add(appCheck) }
        let refusedAuth = upgrade.blocking == .authRejected || appCheck?.blocking == .authRejected
        let tokenFindings = TokenCheck(
            token: token,
            skewMs: first.skewMs,
            roundTripMs: first.report?.timings.upgradeMs,
            audience: audience,
            refused: refusedAuth
        ).findings()
        diagnosis.add(tokenFindings)
        diagnosis.add(CookieCheck.findings(cookies, url: base.url))
        let originFixed = upgrade.wantsOrigin
        let hasCredentials = token != nil || session != nil || !base.cookies.isEmpty
        var consistent = true
        if hasCredentials, repeatCount > 1, first.isAccepted || refusedAuth, !originFixed {
            let consistency = ConsistencyCheck.run(plan, first: first, count: repeatCount, probe: probe)
            consistent = consistency.blocking == nil
            diagnosis.add(consistency)
        }
        // Only when every server refuses alike is another placement worth trying.
        if refusedAuth, consistent, !originFixed, !tokenFindings.contains(where: { $0.blocking != nil }) {
            let current =
                app != nil && presentation.placement == .message
                ? "--token-in message"
                : presentation.placement == .query && presentation.queryParam != "token"
                    ? "--token-in query --query-param \(presentation.queryParam)"
                    : "--token-in \(presentation.placement.rawValue)"
            var search = PlacementSearch(
                base: base,
                token: token,
                session: session,
                current: token == nil ? "" : current
            )
            search.app = app
            search.appFix = appFix
            diagnosis.add(search.run(probe))
        }
        if let idle, first.isAccepted {
            let expiresIn = token.flatMap { JWT.decode($0.reveal())?.expiresAt }.map {
                $0.timeIntervalSince(Timestamp.now)
            }
            let held = IdleCheck.span(idle: idle, tokenExpiresIn: expiresIn)
            let outcome = IdleCheck.outcome(probe.hold(plan, for: held, pingEvery: pingInterval))
            if let finding = IdleCheck.judge(outcome, held: held, asked: idle) {
                diagnosis.add(finding)
            }
        }
        return diagnosis
    }

    /// The upgrade's finding; a 403 without Origin is retried with the URL's own.
    func upgradeFinding(_ attempt: ProbeOutcome) -> DoctorFinding {
        switch attempt {
        case .accepted(let report, _), .appAccepted(let report, _):
            let subprotocol = report.subprotocol.map { ", subprotocol \($0)" } ?? ""
            return .ok(
                .upgrade,
                "the server upgraded the connection (\(report.statusLine)\(subprotocol)) and kept it open"
            )
        case .closed(_, let code, let reason, _) where !attempt.isAccepted:
            let meaning = CloseCode(code).meaning
            return .error(
                .upgrade,
                "the server upgraded the connection, then closed it with \(code)\(reason.isEmpty ? "" : " \"\(ServerText.shown(reason))\"") (\(meaning)): it refused the credentials inside the socket",
                fix: nil,
                exit: .authRejected
            )
        case .closed(let report, _, _, _):
            return .ok(
                .upgrade,
                "the server upgraded the connection (\(report.statusLine)) and then closed it normally"
            )
        case .appRefused(let report, _, _), .appSilent(let report, _, _):
            return .ok(.upgrade, "the server upgraded the connection (\(report.statusLine))")
        case .rejected(let rejection):
            // Rails' Action Cable answers a missing Origin with 404, most servers with 403.
            if rejection.status == 403 || rejection.status == 404, base.origin == nil {
                var retry = plan
                retry.origin = base.url.httpOrigin
                if let found = UpgradeCheck.origin(
                    base.url.httpOrigin,
                    status: rejection.status,
                    retried: probe.attempt(retry)
                ) {
                    return found
                }
            }
            if rejection.status == 404, let found = PathSearch(plan: plan, base: base.url, app: app).run(probe) {
                return found
            }
            return UpgradeCheck.diagnose(rejection)
        case .failed(let failure):
            return ReachCheck.diagnose(failure, url: base.url)
        }
    }
}
