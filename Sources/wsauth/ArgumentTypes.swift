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
