/// idle (`doctor --idle DURATION`): a connection that works, held idle. A drop before
/// the token's `exp` is not about the credentials: something in between closes quiet
/// sockets, most often a proxy's idle timeout (nginx `proxy_read_timeout` 60 s, AWS ALB
/// 60 s, Cloudflare 100 s). It is a warning: the handshake itself works.
public enum IdleCheck {
    /// Idle timeouts people meet, by their default length in seconds.
    static let knownDefaults: [(seconds: Double, who: String)] = [
        (60, "the default of nginx `proxy_read_timeout` and of an AWS load balancer"),
        (100, "Cloudflare's default"),
    ]

    /// How long to hold: `idle`, but not past the token's expiry (a drop then is the token's).
    public static func span(idle: TimeSpan, tokenExpiresIn: Double?) -> TimeSpan {
        guard let left = tokenExpiresIn else { return idle }
        return TimeSpan(seconds: max(0, min(idle.seconds, left - 1)))
    }

    /// A held connection as idle reads it: any end before the time was up is a drop,
    /// 1006 being ours for "no close frame" (RFC 6455 §7.1.5).
    public static func outcome(_ hold: HoldOutcome) -> IdleOutcome {
        switch hold {
        case .notOpened: .notOpened
        case .held(_, .stillOpen, _): .stayedOpen
        case .held(let opened, .closed(let code, _), let ended):
            .dropped(afterSeconds: ended - opened, closeCode: code == CloseCode.abnormalClosure.rawValue ? nil : code)
        case .held(let opened, .appEnded, let ended), .held(let opened, .appBroke, let ended):
            .dropped(afterSeconds: ended - opened, closeCode: nil)
        }
    }

    public static func judge(_ outcome: IdleOutcome, held: TimeSpan, asked: TimeSpan) -> DoctorFinding? {
        switch outcome {
        case .notOpened:
            return nil
        case .stayedOpen:
            let cut = held < asked ? " (cut short of \(asked): the token expires then)" : ""
            return .ok(.idle, "the connection stayed open idle for \(held)\(cut)")
        case .dropped(let seconds, let code):
            let after = TimeSpan(seconds: seconds.rounded())
            let how = code.map { "with close \($0) (\(CloseCode($0).meaning))" } ?? "without a close frame"
            let known = knownDefaults.first { abs($0.seconds - seconds) <= 2 }.map { ", \($0.who)" } ?? ""
            let interval = TimeSpan(seconds: max(1, (seconds / 2).rounded(.down)))
            return .warn(
                .idle,
                "the idle connection was dropped after \(after), \(how), before the token expired: a proxy's idle timeout\(known) — nginx `proxy_read_timeout`, a load balancer's idle timeout",
                fix:
                    "add `--ping-interval \(interval)` (shorter than \(after)), or raise the proxy's idle timeout (nginx: `proxy_read_timeout`)"
            )
        }
    }
}

/// How a connection held idle (`doctor --idle`) came out.
public enum IdleOutcome: Sendable, Equatable {
    /// Still open when the time was up.
    case stayedOpen
    /// Dropped by the other side after `seconds`: with a close frame's code, or none (nil).
    case dropped(afterSeconds: Double, closeCode: UInt16?)
    /// This handshake did not open: nothing to hold.
    case notOpened
}
