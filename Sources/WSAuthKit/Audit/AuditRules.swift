/// The verdicts of docs/reference/behaviour.md "Audit verdicts", as pure functions of what was observed,
/// so that each rule has a unit test that does not need a server.
public enum AuditRules {
    /// A credential the server must refuse (none, malformed, forged, expired, revoked):
    /// let through the handshake → FAIL, even when a close follows at once (RFC 6750
    /// §3.1 answers a bad token with 401). Refused → PASS.
    public static func mustRefuse(_ outcome: ProbeOutcome, _ what: String) -> AuditFinding {
        let sentence = "the handshake with \(what) \(outcome.evidence)"
        switch outcome.admission {
        case .letIn: return AuditFinding(.fail, sentence)
        case .refused: return AuditFinding(.pass, sentence)
        case .unjudged: return AuditFinding(.skip, sentence)
        }
    }

    /// Which placements the server takes. Only the query string is a finding: a URL
    /// ends up in server, proxy and browser logs (RFC 6750 §5.3).
    public static func placement(
        _ placement: TokenPlacement,
        where place: String,
        _ outcome: ProbeOutcome
    ) -> AuditFinding {
        switch outcome {
        case .accepted where placement == .query:
            return AuditFinding(
                .warn,
                "the token in \(place) was accepted (101): query strings end up in server, proxy and browser logs (RFC 6750 §5.3)"
            )
        case .accepted, .appAccepted, .closed(_, _, _, .appSession):
            return AuditFinding(.pass, "the token in \(place) was accepted (\(outcome.evidence))")
        case .rejected, .closed, .appRefused:
            return AuditFinding(.pass, "the token in \(place) is not taken: the handshake \(outcome.evidence)")
        case .failed, .appSilent:
            return AuditFinding(.skip, "the handshake with the token in \(place) \(outcome.evidence)")
        }
    }

    /// A foreign Origin let in: with a cookie, any page there can act as the user
    /// (cross-site WebSocket hijacking, RFC 6455 §10.2) → FAIL; with a credential a
    /// browser cannot attach by itself → WARN (Origin is not checked).
    public static func origin(
        _ origin: String,
        credential what: String,
        ambient: Bool,
        _ outcome: ProbeOutcome
    ) -> AuditFinding {
        let sentence = "Origin \(origin) with \(what): the handshake \(outcome.evidence)"
        switch outcome.admission {
        case .letIn where ambient:
            return AuditFinding(
                .fail,
                "\(sentence); a page there can use the user's cookie (cross-site WebSocket hijacking)"
            )
        case .letIn:
            return AuditFinding(
                .warn,
                "\(sentence); not exploitable from a browser without the cookie, but Origin is not checked"
            )
        case .refused:
            return AuditFinding(.pass, sentence)
        case .unjudged:
            return AuditFinding(.skip, sentence)
        }
    }

    /// What `--watch-expiry` saw: `close` is nil when the socket was still open at
    /// exp + grace; `secondsAfterExpiry` is negative for a close before exp.
    public static func expiryWatch(
        code: UInt16?,
        reason: String,
        secondsAfterExpiry: Double,
        grace: TimeSpan,
        authCodes: Set<UInt16> = Set(CloseCode.defaultAuthCodes.map(\.rawValue))
    ) -> AuditFinding {
        guard let code else {
            return AuditFinding(
                .fail,
                "the socket was still open \(grace) after the token's exp: the server keeps sockets whose token has expired"
            )
        }
        let closeCode = CloseCode(rawValue: code)
        let why = reason.isEmpty ? "" : " \"\(ProbeOutcome.shorten(reason, to: 40))\""
        let closed = "the server closed with \(code)\(why) (\(closeCode.name))"
        let when = relative(secondsAfterExpiry)
        if secondsAfterExpiry > grace.seconds {
            return AuditFinding(.fail, "\(closed) \(when), later than --grace \(grace)")
        }
        // A second of slack before exp: `exp` is whole seconds and clocks differ a little.
        if secondsAfterExpiry >= -1 || authCodes.contains(code) {
            return AuditFinding(.pass, "\(closed) \(when)")
        }
        return AuditFinding(.skip, "\(closed) \(when), for another reason: expiry was not observed")
    }

    /// `--watch-expiry --app`: the server ended the app session (Socket.IO `41`) on a
    /// socket it left open. At or after exp within --grace is the server enforcing
    /// expiry; later is too late; well before exp is some other reason.
    public static func appExpiryWatch(
        app: String,
        reason: String,
        secondsAfterExpiry: Double,
        grace: TimeSpan
    ) -> AuditFinding {
        let what = reason.isEmpty ? "the server ended the \(app) session" : ProbeOutcome.shorten(reason, to: 80)
        let ended = "\(what) \(relative(secondsAfterExpiry))"
        if secondsAfterExpiry > grace.seconds { return AuditFinding(.fail, "\(ended), later than --grace \(grace)") }
        if secondsAfterExpiry >= -1 { return AuditFinding(.pass, ended) }
        return AuditFinding(.skip, "\(ended), for another reason: expiry was not observed")
    }

    /// Credentials in clear text to a host that is not this machine.
    public static func plainTransport(_ url: WebSocketURL, sendsCredentials: Bool) -> AuditFinding {
        if !sendsCredentials { return AuditFinding(.pass, "no credentials given, so none are sent") }
        if url.secure { return AuditFinding(.pass, "credentials go over TLS (wss://)") }
        if url.isLoopback {
            return AuditFinding(.pass, "ws:// to a loopback host: credentials do not leave this machine")
        }
        return AuditFinding(
            .warn,
            "credentials go in clear text over ws:// to \(url.host): anyone on the path can read and replay them; use wss://"
        )
    }

    /// `0.4s after exp`, `2.0s before exp`: tenths, because the rule is "within a second".
    static func relative(_ seconds: Double) -> String {
        let tenths = (abs(seconds) * 10).rounded() / 10
        return "\(tenths)s \(seconds < 0 ? "before" : "after") exp"
    }
}
