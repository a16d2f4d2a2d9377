import NIOConcurrencyHelpers

/// Every open socket's way to be closed, so that a shutdown can say goodbye with
/// 1001 "going away" (RFC 6455 §7.4.1) instead of dropping the TCP connection, which
/// clients see as 1006 and cannot tell from a network failure.
final class SocketRegistry: Sendable {
    typealias Closer = @Sendable (SocketClose) -> Void

    private struct State {
        var closers: [UInt64: Closer] = [:]
        var nextKey: UInt64 = 0
        var shuttingDown = false
    }

    private let state = NIOLockedValueBox(State())

    /// Registers a socket; one that opens during shutdown is told to close at once.
    func register(_ closer: @escaping Closer) -> UInt64 {
        let (key, shuttingDown) = state.withLockedValue { state in
            state.nextKey += 1
            state.closers[state.nextKey] = closer
            return (state.nextKey, state.shuttingDown)
        }
        if shuttingDown { closer(.serverShutdown) }
        return key
    }

    func unregister(_ key: UInt64) {
        state.withLockedValue { _ = $0.closers.removeValue(forKey: key) }
    }

    func closeAll() {
        let closers = state.withLockedValue { state in
            state.shuttingDown = true
            return Array(state.closers.values)
        }
        for close in closers { close(.serverShutdown) }
    }
}
