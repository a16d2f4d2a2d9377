import ArgumentParser
import WSAuthKit

struct Audit: ProfileCommand {
    static let flagOnlyKeys = SessionSetup.flagOnlyKeys

    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Judge how a server treats credentials: a matrix of handshakes and a watch.",
        discussion: """
            Checks, in the order they run: plain-ws, login-cookies, no-credentials, malformed-token, \
            tampered-signature, alg-none, placement-header/-query/-protocol/-cookie/-message, \
            origin-foreign/-null/-suffix/-prefix/-scheme, watch-expiry, expired-token, \
            after-logout.

            FAIL: the server lets in no credentials, a malformed token, a tampered \
            signature, alg:none, an expired token, a token or session after logout, or a \
            cookie-authenticated handshake from a foreign Origin; or keeps a socket open \
            more than --grace past the token's exp. WARN: a query-string token is \
            accepted; a foreign Origin is accepted with a token a browser cannot attach \
            by itself; credentials over ws:// to a host that is not loopback. A check that \
            cannot run is SKIP, with the reason.

            Credentials: the token as connect finds it (--token…, WSAUTH_TOKEN, the \
            profile's stored token) and a session cookie: --session-cookie NAME=VALUE, \
            or among -b and the stored cookies the one --session-cookie NAME names (else \
            the one set at login, else a well-known session name). They must be accepted \
            first: the audit stops with exit 2 otherwise.

            after-logout (with --logout-url) REVOKES what it uses, and runs last for that \
            reason. When the profile has login settings (login_url, user, password_env or \
            password_file) the audit logs in once more and revokes that throwaway session; \
            otherwise it revokes the token and session cookie given, a stored login \
            included. The throwaway login's Set-Cookie headers are judged by \
            login-cookies (WARN on the findings of wsauth login).

            --sarif FILE: SARIF 2.1.0 for code-scanning upload; a rule per check of the \
            catalogue, a result per WARN (warning) and FAIL (error).

            --junit FILE: FAIL is <failure>, SKIP <skipped>, an audit stopped by refused \
            credentials one <error>; JUnit has no warning, so a WARN is a passing test case whose <system-out> starts with "WARN:" (and the \
            suite's "warnings" property counts them).

            Exit 7 when any check fails, else 0; 2 when the credentials given are \
            refused (the audit needs ones the server accepts).
            """
    )

    @Argument(help: "ws:// or wss:// URL (default: the profile's ws_url).")
    var url: String?

    @OptionGroup var profileFlags: ProfileFlags
    @OptionGroup(title: "Credentials") var credentials: CredentialFlags
    @OptionGroup(title: "Application protocol") var appFlags: AppFlags
    @OptionGroup(title: "Audit") var auditFlags: AuditFlags
    @OptionGroup(title: "Transport") var transport: TransportFlags
    @OptionGroup(title: "Output") var outputFlags: OutputFlags

    func run() throws {
        let output = Output(
            json: outputFlags.json,
            showSecrets: outputFlags.showSecrets,
            verbose: transport.verbose,
            humanEventsToStdout: true
        )
        do throws(Failure) {
            let checks = try AuditCatalogue.select(only: auditFlags.only, skip: auditFlags.skip)
            let (context, session) = try makeContext(output: output)
            let junit = try auditFlags.junit.map { (path) throws(Failure) in try ReportFile(flag: "--junit", path: path)
            }
            let sarif = try auditFlags.sarif.map { (path) throws(Failure) in try ReportFile(flag: "--sarif", path: path)
            }
            let actions = GitHubActions.current
            let target = url ?? context.url.description
            try loginThrowaway(context, session: session, checks: checks, output: output)
            let started = Timestamp.now
            let results: [AuditResult]
            do throws(Failure) {
                results = try AuditRunner(context: context, checks: checks).run { result in
                    output.emit(Event(.check(result.report)))
                    output.flush()
                }
            } catch {
                let report = JUnitReport(
                    target: context.url.description,
                    timestamp: started,
                    results: [],
                    stopped: error.message,
                    redactor: output.redactor
                )
                try junit?.write(report.xml)
                try sarif?.write(AuditSARIF(target: target, results: []).text(redactor: output.redactor))
                actions?.appendSummary(
                    StepSummary.audit(target: target, results: [], stopped: error.message, redactor: output.redactor),
                    output: output
                )
                throw error
            }
            if let junit {
                let report = JUnitReport(
                    target: context.url.description,
                    timestamp: started,
                    results: results,
                    redactor: output.redactor
                )
                try junit.write(report.xml)
            }
            try sarif?.write(AuditSARIF(target: target, results: results).text(redactor: output.redactor))
            if let actions {
                // Redacted and made inert first; the workflow escaping comes last.
                for command in WorkflowCommand.audit(results) {
                    let shown = WorkflowCommand(
                        command.level,
                        title: command.title,
                        message: output.redactor.shown(command.message)
                    )
                    output.say(shown.line, to: .stderr)
                }
                actions.appendSummary(
                    StepSummary.audit(target: target, results: results, stopped: nil, redactor: output.redactor),
                    output: output
                )
            }
            output.emit(Event(.note(Audit.summary(results))))
            let failed = results.filter { $0.report.verdict == .fail }.map(\.report.name)
            output.flush()
            if !failed.isEmpty {
                let names = failed.joined(separator: ", ")
                let checks = failed.count == 1 ? "check" : "checks"
                throw Failure(.audit, "audit failed: \(failed.count) \(checks) failed (\(names))")
            }
        } catch {
            try output.fail(error)
        }
    }

    private func makeContext(output: Output) throws(Failure) -> (AuditContext, SessionSetup) {
        let session = try SessionSetup(
            url: url,
            profile: profileFlags.profile,
            credentials: credentials,
            app: appFlags,
            transport: transport,
            output: output
        )
        if let logoutURL = auditFlags.logoutURL { try session.requireStoredAllowed(logoutURL, for: "--logout-url") }
        let expired = try auditFlags.expired(stdinTaken: credentials.token.sources.stdin)
        let grace = auditFlags.grace
        let settle = auditFlags.settle
        if let expired { output.redactor.register(token: expired) }
        let cookie = Audit.sessionCookie(flag: credentials.sessionCookie, session: session)
        if let cookie { output.redactor.register(cookie.value) }
        var probe = LiveHandshakeProbe(
            transport: session.transport,
            settle: settle,
            deadline: .after(session.transport.maxTime)
        )
        var presentation = session.presentation
        if let app = session.app {
            probe.app = app.factory()
            probe.appRequests = { request, token in session.appRequest(request, token: token) }
            presentation.appPayload = true
            if app.tokenInPayload { presentation.placement = .message }
        }
        if transport.verbose {
            // -v: every handshake of the matrix on stderr, as curl -v would show it.
            let renderer = HumanRenderer(redactor: output.redactor, verbose: true)
            probe.trace = { event in
                let lines: [Line]?
                if case .handshake(let report) = event.kind {
                    lines = renderer.handshakeLines(report)
                } else {
                    lines = renderer.render(event)
                }
                if let lines { output.say(lines, to: .stderr) }
            }
        }
        let context = AuditContext(
            url: session.url,
            probe: probe,
            http: HTTPClient(options: session.transport),
            token: session.token,
            presentation: presentation,
            sessionCookie: cookie,
            expiredToken: expired,
            logoutURL: auditFlags.logoutURL,
            watchExpiry: auditFlags.watchExpiry,
            grace: grace,
            headers: session.transport.headers,
            subprotocols: (session.app?.subprotocols ?? []) + credentials.subprotocol,
            origin: credentials.origin,
            redactor: output.redactor
        )
        context.notify = { text in
            output.emit(Event(.note(text)))
            output.flush()
        }
        return (context, session)
    }

    /// Logs in once more with the profile's settings, for after-logout (which then
    /// revokes that session, not the one in use) and login-cookies.
    private func loginThrowaway(
        _ context: AuditContext,
        session: SessionSetup,
        checks: [AuditCheck],
        output: Output
    ) throws(Failure) {
        let wanted = checks.contains {
            $0.name == .loginCookies || ($0.name == .afterLogout && context.logoutURL != nil)
        }
        guard wanted else { return }
        // What `wsauth login` would post with this profile, and where its answer holds the tokens.
        let profileLogin = try ProfileKeys.parse(LoginCredentials.self, profile: session.context.profile)
        let endpoint = try ProfileKeys.parse(TokenEndpointFlags.self, profile: session.context.profile)
        guard let loginURL = session.context.settings.loginURL, profileLogin.user != nil, profileLogin.password.isGiven
        else { return }
        guard profileLogin.grant == nil else {
            context.noThrowaway =
                "the profile logs in with an OAuth grant; a throwaway login needs login_url, user and a password"
            return
        }
        let body = try profileLogin.body(output: output, endpoint: endpoint, scope: nil)
        let request = LoginRequest(url: loginURL, body: body, paths: endpoint.tokenPaths, webSocket: context.url)
        let login = try ThrowawayLogin.run(
            request,
            sessionCookieName: credentials.sessionCookie,
            transport: session.transport,
            secrets: output.redactor.register
        )
        if let token = login.token { output.redactor.register(token: token) }
        if let cookie = login.cookie { output.redactor.register(cookie.value) }
        context.throwaway = login
    }

    /// `--session-cookie NAME=VALUE` as given; otherwise the session rule over `-b`
    /// and the stored cookies (where `--session-cookie NAME` names the one).
    static func sessionCookie(flag: String?, session: SessionSetup) -> SessionCookieCredential? {
        if let flag, let given = SessionCookieCredential(parsing: flag) { return given }
        return session.sessionCookie().map { SessionCookieCredential(name: $0.name, value: Secret($0.value)) }
    }

    static func summary(_ results: [AuditResult]) -> String {
        let counted = CheckReport.Verdict.allCases.map { verdict in
            "\(results.filter { $0.report.verdict == verdict }.count) \(verdict.rawValue)"
        }
        return "\(results.count) checks: \(counted.joined(separator: ", "))"
    }
}
