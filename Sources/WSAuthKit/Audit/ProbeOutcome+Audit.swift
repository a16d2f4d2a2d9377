/// How audit reads a probing handshake (docs/reference/behaviour.md "Audit verdicts").
public enum Admission: Sendable, Equatable {
    /// The server let the credential through the handshake, whatever it thought
    /// better of afterwards (anything it sends on connect has gone out).
    case letIn
    /// Refused: a non-101 answer, a close answering the credential sent after the
    /// upgrade, or the app's refusal.
    case refused
    /// No answer to judge: network, TLS, timeout, a broken handshake or app protocol.
    case unjudged
}

extension ProbeOutcome {
    public var admission: Admission {
        switch self {
        case .accepted, .appAccepted, .closed(_, _, _, .upgrade), .closed(_, _, _, .appSession): .letIn
        case .rejected, .closed(_, _, _, .credential), .appRefused: .refused
        case .failed, .appSilent: .unjudged
        }
    }

    /// The app-level handshake (`--app`) gave this verdict, not the upgrade.
    public var isAppVerdict: Bool {
        switch self {
        case .appAccepted, .appRefused, .closed(_, _, _, .appSession): true
        case .accepted, .closed, .rejected, .failed, .appSilent: false
        }
    }

    /// Why an outcome could not be judged, as the failure that stops the audit
    /// when it was the credentials' own check; nil when it can be judged.
    public var unjudgedFailure: Failure? {
        switch self {
        case .failed(let failure): failure
        case .appSilent(_, let app, .noAnswer): Failure(.timeout, "no answer to the \(app) handshake in time")
        case .appSilent(_, let app, .timedOut(let why)), .appSilent(_, let app, .violation(let why)):
            Failure(.protocol, "\(app): \(why)")
        default: nil
        }
    }

    /// The evidence, to follow "the handshake with …": e.g. "answered 401 (WWW-Authenticate: Bearer …)".
    public var evidence: String {
        switch self {
        case .accepted(_, let settle):
            return "was upgraded (101) and still open \(settle) later"
        case .rejected(let rejection):
            let shown = rejection.wwwAuthenticate.map { " (WWW-Authenticate: \(Self.summarize(challenge: $0)))" } ?? ""
            return "answered \(rejection.status)\(shown)"
        case .closed(_, let code, let reason, .upgrade):
            return "was upgraded (101) and only then closed by the server with \(code)\(Self.quoted(reason))"
        case .closed(_, let code, let reason, .credential):
            return "was upgraded (101), and the auth message answered with close \(code)\(Self.quoted(reason))"
        case .closed(_, let code, let reason, .appSession(let app)):
            return "was upgraded (101) and \(app) accepted it at its own handshake, "
                + "then the server closed with \(code)\(Self.quoted(reason))"
        case .appAccepted(_, let app):
            return "was upgraded (101) and \(app) accepted it at its own handshake"
        case .appRefused(_, let app, let message):
            return "was upgraded (101), and \(app) refused it: \(Self.shorten(message))"
        case .failed, .appSilent:
            return "could not be judged: \(unjudgedFailure?.message ?? "")"
        }
    }

    /// The parts of an RFC 6750 §3 challenge that say why: the scheme, `error` and
    /// `error_description`; the realm and the rest only make the sentence longer.
    static func summarize(challenge: String) -> String {
        let scheme = challenge.prefix { $0 != " " && $0 != "," }
        func parameter(_ name: String) -> String? {
            guard let start = challenge.firstRange(of: name + "=\"") else { return nil }
            let value = challenge[start.upperBound...].prefix { $0 != "\"" }
            return value.isEmpty ? nil : String(value)
        }
        guard let error = parameter("error") else { return shorten(challenge) }
        let description = parameter("error_description").map { ": \(shorten($0, to: 60))" } ?? ""
        return "\(scheme) error=\"\(error)\"\(description)"
    }

    static func quoted(_ reason: String) -> String {
        reason.isEmpty ? "" : " \"\(shorten(reason))\""
    }

    /// A challenge or reason cut to a length that keeps the sentence one line.
    static func shorten(_ text: String, to limit: Int = 72) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
