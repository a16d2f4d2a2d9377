/// `--ping-interval`: when our next ping is due, the pings not yet answered, and
/// when silence means the peer is gone. Times are the caller's monotonic seconds.
struct Keepalive: Sendable {
    /// A pong may take this long even with a short `--ping-interval`.
    static let minimumPongWait = 2.0

    let interval: Double?
    private(set) var nextPing: Double?
    /// Ping payload → when it was sent, for the RTT and the pong timeout.
    private var inFlight: [[UInt8]: Double] = [:]

    init(interval: TimeSpan?, now: Double) {
        let seconds = interval.map(\.seconds).flatMap { $0 > 0 ? $0 : nil }
        self.interval = seconds
        nextPing = seconds.map { now + $0 }
    }

    /// How long a ping may go unanswered before the peer counts as unresponsive.
    var pongWait: Double? { interval.map { max($0, Keepalive.minimumPongWait) } }

    /// The instant the oldest unanswered ping expires; only `--ping-interval` sets one.
    var pongDeadline: Double? {
        guard let pongWait, let oldest = inFlight.values.min() else { return nil }
        return oldest + pongWait
    }

    var nextDeadline: Double? { [nextPing, pongDeadline].compactMap { $0 }.min() }

    /// Keepalive: a peer that answers no ping is dead even if TCP has not noticed.
    func isOverdue(now: Double) -> Bool {
        pongDeadline.map { now >= $0 } ?? false
    }

    /// Our payload if a ping is due now (and schedules the next one).
    mutating func duePing(now: Double) -> [UInt8]? {
        guard let due = nextPing, now >= due, let interval else { return nil }
        nextPing = now + interval
        let payload = Array("wsauth-\(Int(now * 1000) % 1_000_000_000)".utf8)
        inFlight[payload] = now
        return payload
    }

    /// A ping the person sent (`/ping`): its pong is timed too.
    mutating func sent(_ payload: [UInt8], now: Double) {
        inFlight[payload] = now
    }

    /// A pong arrived: the RTT in milliseconds when it answers one of our pings.
    mutating func answered(_ payload: [UInt8], now: Double) -> Double? {
        inFlight.removeValue(forKey: payload).map { (now - $0) * 1000 }
    }
}

/// When input has ended without a script (pipe mode's end of stdin, or a probe):
/// close once the server has been quiet a moment, or after the linger at most.
struct QuietPeriod: Sendable {
    /// A server stops sending once it sees our close (RFC 6455 §5.5.1), so closing
    /// at once would lose the answers to the last lines sent.
    static let quiet = 0.5
    /// The most we wait for answers after the end of stdin (docs/reference/behaviour.md: at most 5 s).
    static let linger = 5.0

    private(set) var quietUntil: Double
    let lingerUntil: Double

    /// Nothing sent means no answer to wait for: close at once (a probe).
    init(now: Double, sentData: Bool) {
        quietUntil = now + (sentData ? QuietPeriod.quiet : 0)
        lingerUntil = now + QuietPeriod.linger
    }

    mutating func heardFromServer(now: Double) {
        quietUntil = now + QuietPeriod.quiet
    }

    /// `waitingForApp`: the app-level handshake is not done, so only the linger counts.
    func isOver(now: Double, waitingForApp: Bool) -> Bool { now >= deadline(waitingForApp: waitingForApp) }

    func deadline(waitingForApp: Bool) -> Double { waitingForApp ? lingerUntil : min(quietUntil, lingerUntil) }
}
