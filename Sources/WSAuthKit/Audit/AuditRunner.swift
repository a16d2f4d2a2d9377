/// A check's report and how long it took (JUnit wants the time).
public struct AuditResult: Sendable {
    public var report: CheckReport
    public var seconds: Double

    public init(report: CheckReport, seconds: Double) {
        self.report = report
        self.seconds = seconds
    }
}

/// Runs the chosen checks in order, after making sure the credentials it was given
/// work: a check that a forged token is refused proves nothing against a server
/// that refuses the real one too.
public struct AuditRunner {
    public let context: AuditContext
    public let checks: [AuditCheck]

    public init(context: AuditContext, checks: [AuditCheck]) {
        self.context = context
        self.checks = checks
    }

    /// `report` is called as each check finishes, so that a long watch does not hold
    /// back the results before it.
    public func run(report: (AuditResult) -> Void) throws(Failure) -> [AuditResult] {
        try verifyCredentials()
        var results: [AuditResult] = []
        for check in checks {
            let started = Clock.now()
            var checkReport = check.run(context)
            checkReport.detail = context.redactor.text(checkReport.detail)
            let result = AuditResult(report: checkReport, seconds: Clock.now() - started)
            results.append(result)
            report(result)
        }
        return results
    }

    private func verifyCredentials() throws(Failure) {
        if let token = context.presentedToken {
            let place = AuditCheck.place(context.presentation.placement, context.presentation)
            try require(
                context.probe.attempt(context.plan(token)),
                "the token in \(place)",
                hint: "check --token-in and its options, or run 'wsauth refresh'"
            )
        }
        if let cookie = context.sessionCookie {
            try require(
                context.probe.attempt(context.plan(.sessionCookie(cookie))),
                "the session cookie \(cookie.name)",
                hint: "log in again and pass the cookie the login set"
            )
        }
    }

    private func require(_ outcome: ProbeOutcome, _ what: String, hint: String) throws(Failure) {
        switch outcome {
        case .accepted, .appAccepted, .closed(_, _, _, .appSession): return
        default: break
        }
        if let unjudged = outcome.unjudgedFailure {
            throw Failure(
                unjudged.kind,
                "audit stopped: the handshake with \(what) failed: \(unjudged.message)",
                cause: unjudged.cause
            )
        }
        throw Failure(
            .auth,
            "audit stopped: the handshake with \(what) \(outcome.evidence); the audit needs credentials the server accepts: \(hint)"
        )
    }
}
