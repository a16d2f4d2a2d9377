import ArgumentParser
import WSAuthKit

struct Connect: ProfileCommand {
    static let flagOnlyKeys = SessionSetup.flagOnlyKeys

    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Open a WebSocket with credentials and talk over it.",
        discussion: """
            On a terminal (stdin and stdout), without scripting flags or --json: the REPL; \
            /help lists its commands. Otherwise pipe mode: each stdin line is sent as a text \
            message, received messages go to stdout. With --expect/--count/--expect-close the \
            script alone decides when to finish, so `</dev/null` in CI is fine.
            """
    )

    @Argument(help: "ws:// or wss:// URL (default: the profile's ws_url).")
    var url: String?

    @OptionGroup var profileFlags: ProfileFlags

    @OptionGroup var flags: ConnectFlags
    @OptionGroup(title: "Reports") var reportFlags: RunReportFlags

    func run() throws {
        let output = Output(
            json: flags.outputFlags.json,
            showSecrets: flags.outputFlags.showSecrets,
            verbose: flags.transport.verbose,
            binaryStyle: flags.binaryAs
        )
        try RunReports.session(
            command: "connect",
            junit: reportFlags.junit,
            url: url,
            output: output,
            script: { () throws(Failure) in try flags.scripting.script() },
            setup: { () throws(Failure) in
                try SessionSetup(
                    url: url,
                    profile: profileFlags.profile,
                    credentials: flags.credentials,
                    app: flags.appFlags,
                    transport: flags.transport,
                    output: output
                )
            },
            drive: { (driver, session) throws(Failure) in
                if flags.reconnect.reconnect {
                    driver.reconnect = ReconnectPolicy(maxRetries: flags.reconnect.maxRetries)
                }
                let status =
                    Repl.isWanted(script: driver.script, json: flags.outputFlags.json)
                    ? try Repl.run(driver, output: output, app: session.app) : driver.run(input: LineInput())
                output.flush()
                return status
            }
        )
    }
}

/// Flags that script a session (docs/reference/commands.md, `connect`).
struct ScriptFlags: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Text message to send after the handshake (repeatable; @FILE reads a file).",
            valueName: "MSG"
        )
    )
    var send: [String] = []

    @Option(
        name: .customLong("send-binary"),
        help: ArgumentHelp(
            "Binary message to send (repeatable): @FILE, or base64:DATA.",
            valueName: "@FILE|base64:DATA"
        )
    )
    var sendBinary: [String] = []

    @Option(
        help: ArgumentHelp(
            "Regular expression a received text message must match (repeatable, in order).",
            valueName: "REGEX"
        )
    )
    var expect: [String] = []

    @Option(help: ArgumentHelp("Finish after N received messages.", valueName: "N"), transform: SessionScript.readCount)
    var count: Int?

    @Option(help: ArgumentHelp("Exit 5 when not done by then.", valueName: "DURATION"), transform: TimeSpan.read)
    var timeout: TimeSpan?

    @Option(
        help: ArgumentHelp("Close with this code when done.", valueName: "CODE[:REASON]"),
        transform: SessionScript.readClose
    )
    var close: CloseRequest?

    @Option(
        name: .customLong("expect-close"),
        help: ArgumentHelp("Succeed only if the server closes with one of these codes.", valueName: "CODE[,CODE…]"),
        transform: SessionScript.readCodes
    )
    var expectClose: Set<UInt16>?

    @Option(
        help: ArgumentHelp(
            "With --expect-close: how long after the handshake the close may take.",
            valueName: "DURATION"
        ),
        transform: TimeSpan.read
    )
    var within: TimeSpan?

    @Option(
        name: .customLong("ping-interval"),
        help: ArgumentHelp("Send a ping this often and show the round trip.", valueName: "DURATION"),
        transform: TimeSpan.read
    )
    var pingInterval: TimeSpan?

    @Option(
        name: .customLong("auth-close-codes"),
        help: ArgumentHelp(
            "Close codes that mean \"credentials expired\" (default 4001,4003,4401,4403,1008).",
            valueName: "LIST"
        ),
        transform: SessionScript.readCodes
    )
    var authCloseCodes: Set<UInt16>?

    @Option(
        name: .customLong("max-message-size"),
        help: ArgumentHelp(
            "Largest message accepted, in bytes; larger ones are refused with close 1009 (default 64 MiB).",
            valueName: "BYTES"
        ),
        transform: SessionScript.readSize
    )
    var maxMessageSize: Int = 64 << 20

    func script() throws(Failure) -> SessionScript {
        var script = SessionScript()
        for message in send {
            script.sends.append(.text(try Self.textMessage(message)))
        }
        for message in sendBinary {
            script.sends.append(.binary(try Self.binaryMessage(message)))
        }
        script.expectations = try expect.map { (pattern) throws(Failure) in try SessionScript.Expectation(pattern) }
        script.count = count
        script.timeout = timeout
        if let close { (script.closeCode, script.closeReason) = (close.code, close.reason) }
        script.expectClose = expectClose
        script.within = within
        if script.within != nil, script.expectClose == nil {
            throw Failure.usage("--within goes with --expect-close")
        }
        script.pingInterval = pingInterval
        if let authCloseCodes { script.authCloseCodes = authCloseCodes }
        script.maxMessageSize = maxMessageSize
        return script
    }

    /// `--send` text: literal, or `@FILE`.
    static func textMessage(_ argument: String) throws(Failure) -> String {
        guard argument.hasPrefix("@") else { return argument }
        let path = String(argument.dropFirst())
        guard let bytes = try? FileIO.readBytes(path) ?? nil else {
            throw Failure.usage("--send @\(path): cannot read the file")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure.usage("--send @\(path): the file is not UTF-8 text; use --send-binary @\(path)")
        }
        return text
    }

    static func binaryMessage(_ argument: String) throws(Failure) -> [UInt8] {
        if argument.hasPrefix("@") {
            let path = String(argument.dropFirst())
            guard let bytes = try? FileIO.readBytes(path) ?? nil else {
                throw Failure.usage("--send-binary @\(path): cannot read the file")
            }
            return bytes
        }
        if argument.hasPrefix("base64:"), let bytes = Base64.decode(String(argument.dropFirst(7))) {
            return bytes
        }
        throw Failure.usage("invalid --send-binary '\(argument)': use @FILE or base64:DATA")
    }
}

/// `--reconnect` and its bounds.
struct ReconnectFlags: ParsableArguments {
    @Flag(help: "On a drop or an auth close code, refresh the token and reconnect with backoff.")
    var reconnect = false

    @Option(
        name: .customLong("max-retries"),
        help: ArgumentHelp("Reconnect attempts in a row before giving up.", valueName: "N")
    )
    var maxRetries = 5
}
