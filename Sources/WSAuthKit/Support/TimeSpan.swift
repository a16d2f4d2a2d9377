/// A `DURATION` argument (docs/reference/behaviour.md "Durations"): a number with a unit `ms`, `s`,
/// `m` or `h` (`250ms`, `10s`, `5m`, `1.5h`); a bare number means seconds.
public struct TimeSpan: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
    }

    public static func parse(_ text: String) throws(Failure) -> TimeSpan {
        do {
            return try read(text)
        } catch {
            throw Failure.usage("invalid duration '\(text)': \(error.reason)")
        }
    }

    public static func read(_ text: String) throws(ArgumentProblem) -> TimeSpan {
        let trimmed = text.trimmingSpaces()
        let units: [(suffix: String, factor: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(trimmed)
        var factor = 1.0
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            number = trimmed.dropLast(unit.suffix.count)
            factor = unit.factor
            break
        }
        guard let value = Double(number), value.isFinite else {
            throw ArgumentProblem("use a number with ms, s, m or h (e.g. 250ms, 10s, 5m)")
        }
        guard value >= 0 else { throw ArgumentProblem("it must not be negative") }
        guard value * factor <= TimeSpan.longest.seconds else {
            throw ArgumentProblem("at most \(Int(TimeSpan.longest.seconds / 86_400 / 365)) years")
        }
        return TimeSpan(seconds: value * factor)
    }

    /// Longer spans are refused: they would overflow the millisecond counts poll(2) takes.
    public static let longest = TimeSpan(seconds: 100 * 365 * 86_400)

    public var milliseconds: Int { Int((seconds * 1000).rounded()) }

    /// `4m12s`, `2h3m`, `850ms`: how people read a time left.
    public var description: String { TimeSpan.format(seconds: seconds) }

    public static func format(seconds: Double) -> String {
        let sign = seconds < 0 ? "-" : ""
        // Clamped: a server may claim an expiry centuries away (`expires_in: 1e300`).
        let magnitude = min(abs(seconds.isFinite ? seconds : 0), 1e12)
        if magnitude < 1 { return "\(sign)\(Int((magnitude * 1000).rounded()))ms" }
        var rest = Int(magnitude.rounded(.down))
        let days = rest / 86_400
        rest %= 86_400
        let hours = rest / 3600
        rest %= 3600
        let minutes = rest / 60
        let secs = rest % 60
        if days > 0 { return "\(sign)\(days)d\(hours)h" }
        if hours > 0 { return "\(sign)\(hours)h\(minutes)m" }
        if minutes > 0 { return "\(sign)\(minutes)m\(secs)s" }
        return "\(sign)\(secs)s"
    }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.seconds < rhs.seconds }
}
