import NIOConcurrencyHelpers

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Engine.IO v4 liveness: when the server last pinged and whether the client has
/// ponged since; a client silent for pingInterval + pingTimeout is gone.
final class Heartbeat: Sendable {
    private let state = NIOLockedValueBox((lastAnswer: Date(), awaiting: false))

    func sent() { state.withLockedValue { $0.awaiting = true } }

    func answered() { state.withLockedValue { $0 = (Date(), false) } }

    func missed(within limit: Duration) -> Bool {
        state.withLockedValue { value in
            value.awaiting && Date().timeIntervalSince(value.lastAnswer) > Double(limit.components.seconds)
        }
    }
}
