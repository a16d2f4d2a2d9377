import ArgumentParser
import WSAuthKit

struct Probe: ProfileCommand {
    static let flagOnlyKeys = SessionSetup.flagOnlyKeys

    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "One handshake, reported in full, then a clean close (1000).",
        discussion: """
            Shows the request and response headers (secrets redacted), the \
            Sec-WebSocket-Accept check, the negotiated subprotocol and extensions, timings, \
            and the server's clock against ours; for a rejection, the status, \
            WWW-Authenticate and body.
            """
    )

    @Argument(help: "ws:// or wss:// URL (default: the profile's ws_url).")
    var url: String?

    @OptionGroup var profileFlags: ProfileFlags

    @OptionGroup(title: "Credentials") var credentials: CredentialFlags
    @OptionGroup(title: "Application protocol") var appFlags: AppFlags
    @OptionGroup(title: "Transport") var transport: TransportFlags
    @OptionGroup(title: "Output") var outputFlags: OutputFlags
    @OptionGroup(title: "Reports") var reportFlags: RunReportFlags

    @Option(
        help: ArgumentHelp("Exit 5 when the probe is not done by then.", valueName: "DURATION"),
        transform: TimeSpan.read
    )
    var timeout: TimeSpan?

    func run() throws {
        let output = Output(
            json: outputFlags.json,
            showSecrets: outputFlags.showSecrets,
            verbose: transport.verbose,
            humanEventsToStdout: true
        )
        output.probeReport = true
        var script = SessionScript()
        script.timeout = timeout
        try RunReports.session(
            command: "probe",
            junit: reportFlags.junit,
            url: url,
            output: output,
            script: { script },
            setup: { () throws(Failure) in
                try SessionSetup(
                    url: url,
                    profile: profileFlags.profile,
                    credentials: credentials,
                    app: appFlags,
                    transport: transport,
                    output: output
                )
            },
            drive: { (driver, _) in driver.run(input: nil) }
        )
    }
}
