import Synchronization
import Testing

@testable import WSAuthKit

/// Keeps the `ProtocolMisuse`s a machine reports, in place of the debug assertion.
final class MisuseLog: Sendable {
    private let seen = Mutex<[ProtocolMisuse]>([])

    var reported: [ProtocolMisuse] { seen.withLock { $0 } }

    var reporter: MisuseReporter {
        MisuseReporter { misuse in self.seen.withLock { $0.append(misuse) } }
    }

    /// For tests that feed only in-state events: any report fails the test.
    static let unexpected = MisuseReporter { Issue.record("unexpected protocol misuse: \($0)") }
}
