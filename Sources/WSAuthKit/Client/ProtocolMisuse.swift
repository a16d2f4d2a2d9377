/// An event fed to a machine in a state that cannot take it: a bug in the driver
/// that fed it, like h11's and wsproto's `LocalProtocolError`. Events that may
/// legitimately arrive late (a write failing after the connection ended, input
/// typed while closing) are not misuse; docs/ARCHITECTURE.md "State" lists which are.
public struct ProtocolMisuse: Sendable, Equatable, CustomStringConvertible {
    /// The machine that was fed: `SessionMachine`, `ConnectionMachine`.
    public let machine: String
    /// The event, named as the machine's method.
    public let event: String
    /// The state the machine was in.
    public let state: String

    public init(machine: String, event: String, state: String) {
        self.machine = machine
        self.event = event
        self.state = state
    }

    public var description: String { "\(machine).\(event) while \(state)" }
}

/// Where a machine reports a `ProtocolMisuse`. The event itself is dropped: the
/// machine's state stays as it was.
public struct MisuseReporter: Sendable {
    public let report: @Sendable (ProtocolMisuse) -> Void

    public init(_ report: @escaping @Sendable (ProtocolMisuse) -> Void) {
        self.report = report
    }

    /// Debug builds stop at the bug; release builds drop the event and go on.
    public static let assertion = MisuseReporter { assertionFailure("protocol misuse: \($0)") }
}
