import WSAuthKit

/// One line typed at the REPL prompt (docs/reference/behaviour.md "The REPL"). A bad command
/// becomes `.invalid` with one line of help, never an error that ends the session.
enum ReplCommand: Equatable {
    /// A text message: any line not starting with `/`; `//…` sends `/…`.
    case send(String)
    case ping([UInt8])
    case pong([UInt8])
    case binary([UInt8])
    case close(CloseCode, reason: String)
    case token
    case refresh
    case reconnect
    case headers
    case codes(CloseCode?)
    /// `/raw`: show or hide the application protocol's own frames (Engine.IO's).
    case raw
    case app(AppCommand)
    case help
    case quit
    case invalid(String)

    /// `/help`: one line per command, the `--app` protocol's own among them.
    static func helpText(app: AppProtocolDefinition?) -> String {
        var lines = [
            "a line without / is sent as a text message (start it with // to send a leading /)",
            "/ping [DATA]              send a ping; the pong shows the round trip",
            "/pong [DATA]              send an unsolicited pong",
            "/binary HEX|base64:DATA   send a binary message",
            "/close [CODE [REASON]]    close the connection (default 1000)",
            "/token                    the token's claims and time left",
            "/refresh                  refresh the token now and reconnect",
            "/reconnect                reconnect with the token in use",
            "/headers                  the last handshake, request and response (redacted)",
            "/codes [CODE]             what close codes mean",
        ]
        if let app {
            lines += app.replCommands.map { $0.usage.padding(toLength: 26) + $0.help }
            lines.append(
                "/raw".padding(toLength: 26) + "show or hide the protocol's own frames (CONNECT, pongs, packets)"
            )
        }
        lines += [
            "/help                     this list",
            "/quit                     close with 1000 and exit (also Ctrl-D, or Ctrl-C on an empty line)",
        ]
        return lines.joined(separator: "\n")
    }

    static func parse(_ line: String, app: AppProtocolDefinition? = nil) -> ReplCommand {
        guard line.hasPrefix("/") else { return .send(line) }
        if line.hasPrefix("//") { return .send(String(line.dropFirst())) }
        let name = line.prefix { $0 != " " }
        let argument = String(line.dropFirst(name.count).drop { $0 == " " })
        switch name {
        case "/ping": return control(argument, name: "/ping", ReplCommand.ping)
        case "/pong": return control(argument, name: "/pong", ReplCommand.pong)
        case "/binary": return binary(argument)
        case "/close": return close(argument)
        case "/codes": return codes(argument)
        case "/token": return .token
        case "/refresh": return .refresh
        case "/reconnect": return .reconnect
        case "/headers": return .headers
        case "/raw": return .raw
        case "/help": return .help
        case "/quit", "/exit": return .quit
        default: return appCommand(String(name), argument, app: app)
        }
    }

    /// A command of the `--app` protocol (`/emit`, `/subscribe` …), looked up in its definition.
    private static func appCommand(_ name: String, _ argument: String, app: AppProtocolDefinition?) -> ReplCommand {
        guard let command = app?.replCommands.first(where: { $0.name == name }) else {
            let owners = AppRegistry.all.filter { $0.replCommands.contains { $0.name == name } }.map(\.name)
            guard owners.isEmpty else {
                return .invalid("\(name) is a command of --app \(owners.joined(separator: ", "))")
            }
            return .invalid("unknown command \(name); /help lists the commands")
        }
        switch command.parse(argument) {
        case .line(let text)?: return .send(text)
        case .command(let appCommand)?: return .app(appCommand)
        case nil: return .invalid("usage: \(command.usage)")
        }
    }

    /// Control frames carry at most 125 bytes (RFC 6455 §5.5).
    private static func control(_ argument: String, name: String, _ make: ([UInt8]) -> ReplCommand) -> ReplCommand {
        let bytes = Array(argument.utf8)
        guard bytes.count <= 125 else {
            return .invalid("usage: \(name) [DATA]: a control frame carries at most 125 bytes (RFC 6455 §5.5)")
        }
        return make(bytes)
    }

    private static func binary(_ argument: String) -> ReplCommand {
        let usage = ReplCommand.invalid(
            "usage: /binary HEX or /binary base64:DATA (e.g. /binary 48 69 or /binary base64:SGk=)"
        )
        if argument.hasPrefix("base64:") {
            return Base64.decode(String(argument.dropFirst(7))).map(ReplCommand.binary) ?? usage
        }
        let digits = Array(argument.utf8.filter { $0 != UInt8(ascii: " ") })
        guard !digits.isEmpty, digits.count % 2 == 0 else { return usage }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return usage }
            bytes.append(high << 4 | low)
        }
        return .binary(bytes)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func close(_ argument: String) -> ReplCommand {
        guard !argument.isEmpty else { return .close(.normalClosure, reason: "") }
        let codeText = argument.prefix { $0 != " " }
        let reason = String(argument.dropFirst(codeText.count).drop { $0 == " " })
        do throws(CloseRequest.Problem) {
            let request = try CloseRequest(code: codeText, reason: reason)
            return .close(request.code, reason: request.reason)
        } catch .unsendableCode {
            return .invalid("usage: /close [CODE [REASON]] with a code of \(CloseRequest.sendableCodes)")
        } catch {
            return .invalid("a close reason fits in 123 bytes (RFC 6455 §5.5)")
        }
    }

    private static func codes(_ argument: String) -> ReplCommand {
        guard !argument.isEmpty else { return .codes(nil) }
        guard let raw = UInt16(argument), raw <= 4999 else {
            return .invalid("usage: /codes [CODE] with a number from 0 to 4999")
        }
        return .codes(CloseCode(rawValue: raw))
    }
}
