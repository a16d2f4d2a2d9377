import ArgumentParser
import WSAuthKit

// The typed values of flags (cli.md): a bad one is a usage error while parsing,
// one line and exit 64 (Main), before any command runs.

/// `DURATION` (cli.md "Durations"): `250ms`, `10s`, `5m`, `1.5h`, a bare number of seconds.
extension TimeSpan: ExpressibleByArgument {
    public init?(argument: String) {
        guard let span = try? TimeSpan.parse(argument) else { return nil }
        self = span
    }
}

extension TokenPlacement: ExpressibleByArgument {}
extension BinaryStyle: ExpressibleByArgument {}
extension RefreshStyle: ExpressibleByArgument {}
extension RevokeStyle: ExpressibleByArgument {}
extension OAuthGrant: ExpressibleByArgument {}

extension Profile {
    /// The flag's value when given, else the profile's, read by the flag's own parser.
    func argument<Value: ExpressibleByArgument>(_ key: String, flag: Value?) throws(Failure) -> Value? {
        if let flag { return flag }
        guard let text = try string(key) else { return nil }
        guard let value = Value(argument: text) else {
            let choices = Value.allValueStrings
            let hint = choices.isEmpty ? "" : ": use \(choices.joined(separator: ", "))"
            throw Failure.usage("\(file ?? "config.toml"): profiles.\(name.value).\(key): invalid value '\(text)'\(hint)")
        }
        return value
    }
}
