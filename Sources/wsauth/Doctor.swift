import ArgumentParser
import WSAuthKit

struct Doctor: ProfileCommand {
    static let flagOnlyKeys = SessionSetup.flagOnlyKeys

    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Say why a socket does not authenticate, and what would fix it.",
        discussion: """
            Takes every flag of connect, so that `wsauth connect …` that fails becomes \
            `wsauth doctor …` (the scripting and reconnecting flags and --binary-as are \
            accepted and not used, but --ping-interval with --idle). Checks, in order: reach (DNS, TCP, TLS), upgrade (the answer \
            to the upgrade read for its cause: a proxy that drops Upgrade, 404, 426, a \
            subprotocol, an Origin the server wants), token (expired, nbf, the server's \
            clock, the round trip, --audience), cookies (which go to this URL and why the \
            others do not), placement (on a refusal, where else the server takes the same \
            credentials, as flags) and consistency (--repeat handshakes: do all the servers \
            behind the URL know the session?). With --app, the app-level handshake too \
            (app: refused with the app's message, or never answered), and placement \
            also tries the app's auth payload. Also: a scheme that does not match the \
            port (wss:// to plain HTTP, ws:// to TLS), a redirect (the ws:// or wss:// URL \
            to use), a 404 (the protocol's usual paths tried), an Origin answered with \
            404, and with --idle a connection held idle (idle: dropped by a proxy's idle \
            timeout?). The report shows the blocking finding first, then the warnings, \
            each with its fix. Each handshake is bounded by 15 s (TLS included), or by \
            what is left of -m when that is shorter.

            Exit 0 when the handshake with the given or stored credentials works \
            (warnings allowed), else the exit code of the first blocking finding (2, 3, \
            4, or 5 when nothing answered in time).
            """
    )

    @Argument(help: "ws:// or wss:// URL (default: the profile's ws_url).")
    var url: String?

    @OptionGroup var profileFlags: ProfileFlags
    /// Every flag of connect; scripting, reconnecting and `--binary-as` are accepted and
    /// not used (the diagnosis does not script), except `--ping-interval` for `--idle`.
    @OptionGroup var connect: ConnectFlags
    @OptionGroup(title: "Doctor") var doctorFlags: DoctorFlags

    func run() throws {
        let output = Output(
            json: connect.outputFlags.json,
            showSecrets: connect.outputFlags.showSecrets,
            verbose: connect.transport.verbose,
            humanEventsToStdout: true
        )
        do throws(Failure) {
            guard doctorFlags.repeatCount >= 1 else {
                throw Failure.usage("--repeat must be at least 1, not \(doctorFlags.repeatCount)")
            }
            let session = try SessionSetup(
                url: url,
                profile: profileFlags.profile,
                credentials: connect.credentials,
                app: connect.appFlags,
                transport: connect.transport,
                output: output
            )
            let runner = try makeRunner(session, output: output)
            let diagnosis = runner.run()
            for finding in diagnosis.ordered { output.emit(Event(.finding(finding.report))) }
            output.flush()
            if let blocking = diagnosis.ordered.first(where: { $0.blocking != nil }) {
                throw blocking.failure
            }
        } catch {
            try output.fail(error)
        }
    }

    private func makeRunner(_ session: SessionSetup, output: Output) throws(Failure) -> DoctorRunner {
        var probe = LiveHandshakeProbe(
            transport: session.transport,
            settle: TimeSpan(seconds: 0.3),
            deadline: .after(session.transport.maxTime)
        )
        if connect.transport.verbose {
            let renderer = HumanRenderer(redactor: output.redactor, verbose: true)
            probe.trace = { event in
                if case .handshake(let report) = event.kind {
                    output.say(renderer.handshakeLines(report), to: .stderr)
                } else if let lines = renderer.render(event) {
                    output.say(lines, to: .stderr)
                }
            }
        }
        var presentation = session.presentation
        if let app = session.app {
            // The app takes the token each plan gives it, so that the placement search
            // can move the token between the auth payload and the upgrade.
            var anywhere = app
            anywhere.tokenInPayload = true
            probe.app = anywhere.factory()
            probe.appRequests = { request, token in session.appRequest(request, token: token) }
            presentation.appPayload = true
            if app.tokenInPayload { presentation.placement = .message }
        }
        // Only a cookie that may go to this URL is moved into other places (RFC 6265 §5.4).
        let sessionCookie = session.sessionCookie()
        var runner = DoctorRunner(
            base: session.plan(token: nil),
            token: session.token,
            presentation: presentation,
            session: sessionCookie.map { SessionCookieCredential(name: $0.name, value: Secret($0.value)) },
            probe: probe
        )
        runner.cookies = session.knownCookies
        runner.audience = doctorFlags.audience
        runner.repeatCount = doctorFlags.repeatCount
        runner.app = session.app?.name
        runner.appFix = session.app?.configuration.doctorHint
        runner.idle = doctorFlags.idle
        runner.pingInterval = connect.scripting.pingInterval
        return runner
    }
}

/// The flags only `doctor` has.
struct DoctorFlags: ParsableArguments {
    @Option(
        name: .customLong("repeat"),
        help: ArgumentHelp(
            "Handshakes with the same credentials, to see whether every server behind the URL accepts them.",
            valueName: "N"
        )
    )
    var repeatCount = 5

    @Option(
        help: ArgumentHelp("The audience (aud) the server expects in a JWT (profile key: audience).", valueName: "AUD")
    )
    var audience: String?

    @Option(
        help: ArgumentHelp(
            "Hold a working connection idle this long (pings answered, nothing sent) to see whether something drops quiet sockets.",
            valueName: "DURATION"
        ),
        transform: TimeSpan.read
    )
    var idle: TimeSpan?
}
