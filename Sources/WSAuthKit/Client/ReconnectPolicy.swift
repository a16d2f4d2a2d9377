/// `--reconnect`: when to try again and how long to wait (docs/reference/behaviour.md `connect`).
public struct ReconnectPolicy: Sendable {
    public var maxRetries: Int
    /// The first delay; each further attempt doubles it, up to `cap`.
    public var base: Double = 1
    public var cap: Double = 30

    public init(maxRetries: Int) {
        self.maxRetries = maxRetries
    }

    /// Exponential backoff with jitter: 1 s, 2 s, 4 s … capped, each scaled by a
    /// random factor in 0.75…1.25 so that many clients do not reconnect in step.
    public func delay(forAttempt attempt: Int, random: Double = Double.random(in: 0.75...1.25)) -> Double {
        let exponent = min(max(attempt - 1, 0), 30)
        return min(cap, base * Double(1 << exponent)) * random
    }
}

/// Gets a fresh token after the server said the old one expired; nil when there
/// is no way to refresh (a token given on the command line).
public typealias TokenRefresher = () throws(Failure) -> Secret?
