import ArgumentParser
import WSAuthKit

// The typed values of flags (docs/reference/behaviour.md): a bad one is a usage error while parsing,
// one line and exit 64 (Main), before any command runs. A DURATION is read by
// `@Option(transform: TimeSpan.read)`, so that the message says why.

extension TokenPlacement: ExpressibleByArgument {}
extension BinaryStyle: ExpressibleByArgument {}
extension RefreshStyle: ExpressibleByArgument {}
extension RevokeStyle: ExpressibleByArgument {}
