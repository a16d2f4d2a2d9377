import ArgumentParser
import WSAuthKit

struct Codes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "Explain WebSocket close codes.",
        discussion:
            "The IANA registry (1000–1015) and the 4000–4999 conventions in common use; [auth] marks the codes --reconnect treats as credential expiry."
    )

    @Argument(help: "A close code to explain (all known codes when omitted).")
    var code: String?

    @OptionGroup(title: "Output") var outputFlags: OutputFlags

    func run() throws {
        let output = Output(json: outputFlags.json, showSecrets: false, humanEventsToStdout: true)
        var codes = CloseCode.catalogue
        if let code {
            guard let raw = UInt16(code), raw <= 4999 else {
                try output.fail(.usage("invalid close code '\(code)': use a number from 0 to 4999"))
            }
            codes = [CloseCode(rawValue: raw)]
        }
        defer { appMeanings(code.flatMap { Int($0) }, output: output) }
        for closeCode in codes {
            let auth = CloseCode.defaultAuthCodes.contains(closeCode)
            if outputFlags.json {
                output.say(
                    JSONValue.object([
                        ("code", .int(Int(closeCode.rawValue))), ("name", .string(closeCode.name)),
                        ("meaning", .string(closeCode.meaning)), ("auth", .bool(auth)),
                        ("sendable", .bool(closeCode.isSendable)),
                    ]).serialized(),
                    to: .stdout
                )
            } else {
                let marks = (auth ? " [auth]" : "") + (closeCode.isSendable ? "" : " [never sent on the wire]")
                output.say("\(closeCode.rawValue)  \(closeCode.name)\(marks)\n      \(closeCode.meaning)", to: .stdout)
            }
        }
    }

    /// What `--app` protocols make of a code (docs/protocols.md): with CODE, the
    /// close-code meanings of that code; without, every protocol's codes, reason
    /// codes (MQTT's CONNACK and DISCONNECT) included.
    private func appMeanings(_ code: Int?, output: Output) {
        let rows = AppRegistry.all.flatMap { definition in
            definition.codeMeanings
                .filter { meaning in code.map { meaning.covers($0) && meaning.space == .close } ?? true }
                .map { (definition.name, $0) }
        }
        for (app, meaning) in rows {
            if outputFlags.json {
                // A range (Pusher's 4000–4099) also says its last code.
                let last: [(String, JSONValue)] = meaning.last == meaning.code ? [] : [("last", .int(meaning.last))]
                output.say(
                    JSONValue.object(
                        [
                            ("app", .string(app)), ("space", .string(meaning.space.rawValue)),
                            ("code", .int(meaning.code)),
                        ] + last + [
                            ("name", .string(meaning.name)), ("meaning", .string(meaning.meaning)),
                        ]
                    ).serialized(),
                    to: .stdout
                )
            } else {
                // Reason codes are written in hex in the MQTT specification (0x87), close codes in decimal.
                let code =
                    meaning.space == .reason
                    ? "0x" + String(meaning.code, radix: 16, uppercase: true).leftPadded(2) : String(meaning.code)
                let through = meaning.last == meaning.code ? "" : "–\(meaning.last)"
                let head = "\(code)\(through)  --app \(app) \(meaning.space.rawValue): \(meaning.name)"
                output.say("\(head)\n      \(meaning.meaning)", to: .stdout)
            }
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
