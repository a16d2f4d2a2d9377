/// How doctor reads a probing handshake.
extension ProbeOutcome {
    /// Whether the credentials got through: an upgrade (and app handshake) that stays
    /// open, or one closed only with a normal code (RFC 6455 §7.4.1: 1000/1001 are not refusals).
    public var isAccepted: Bool {
        switch self {
        case .accepted, .appAccepted: true
        case .closed(_, let code, _, _): [CloseCode.normalClosure, .goingAway].contains(CloseCode(rawValue: code))
        case .appRefused, .appSilent, .rejected, .failed: false
        }
    }

    /// The server's clock against ours, from the `Date` of any answer (a refusal too).
    var skewMs: Int? {
        if let report { return report.serverSkewMs }
        guard case .rejected(let rejection) = self else { return nil }
        return HandshakeRunner.skewMs(dateHeader: rejection.headers.first { $0.name.lowercased() == "date" }?.value)
    }
}
