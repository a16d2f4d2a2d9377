import NIOConcurrencyHelpers

/// What the server has done so far, for tests and for `wsauth demo` to show
/// (e.g. "the refresh endpoint was called once").
public struct ReferenceServerCounters: Sendable, Equatable {
    /// Successful password logins (`/auth/login` and the OAuth password grant).
    public var logins = 0
    /// Refresh tokens exchanged successfully (`/auth/refresh` and the OAuth refresh grant).
    public var refreshes = 0
    /// Refresh tokens presented a second time: each revoked a whole family.
    public var refreshReuses = 0
    /// Sessions ended by `/auth/logout`.
    public var logouts = 0
    /// WebSocket handshakes answered 101.
    public var handshakesAccepted = 0
    /// WebSocket handshakes refused (401, 403, 404).
    public var handshakesRejected = 0
    /// Sockets the server closed with 4001 because their token expired.
    public var closedTokenExpired = 0
    /// Sockets the server closed with 4003 because their session was revoked.
    public var closedSessionRevoked = 0
    /// Sockets open right now.
    public var openSockets = 0
}

/// The shared, locked tally behind `ReferenceServer.counters`.
final class CounterBoard: Sendable {
    private let counters = NIOLockedValueBox(ReferenceServerCounters())

    func add(_ field: WritableKeyPath<ReferenceServerCounters, Int>, _ amount: Int = 1) {
        counters.withLockedValue { $0[keyPath: field] += amount }
    }

    var snapshot: ReferenceServerCounters { counters.withLockedValue { $0 } }
}
