/// What one audit handshake came to.
public enum AttemptOutcome: Sendable, Equatable {
    /// 101, and the socket still open once the settle time passed.
    case accepted(settle: TimeSpan)
    /// Any answer other than 101.
    case refused(status: Int, wwwAuthenticate: String?)
    /// 101 for a credential sent with the handshake, then a close within the settle
    /// time. The server let the handshake through, whatever it thought better of
    /// afterwards (anything it sends on connect has gone out): counted as accepted.
    case upgradedThenClosed(code: UInt16, reason: String)
    /// 101, then a close in answer to the auth message: a first-message credential
    /// can only be judged after the upgrade, so this is a refusal.
    case closedAfterAuthMessage(code: UInt16, reason: String)
    /// `--app`: the app-level handshake (Socket.IO CONNECT) let the credential in.
    case appAccepted(app: String)
    /// `--app`: the app refused the credential (Socket.IO CONNECT_ERROR) or closed on it.
    case appRefused(app: String, message: String)
    /// No answer to judge: network, TLS, timeout, or a handshake that broke RFC 6455.
    case failed(FailureKind, String)

    /// Whether the server let the credential through the handshake.
    public var isAccepted: Bool {
        switch self {
        case .accepted, .upgradedThenClosed, .appAccepted: true
        case .refused, .closedAfterAuthMessage, .appRefused, .failed: false
        }
    }

    /// The app-level handshake (`--app`) gave this verdict, not the upgrade.
    public var isAppVerdict: Bool {
        switch self {
        case .appAccepted, .appRefused: true
        default: false
        }
    }

    /// The evidence, to follow "the handshake with …": e.g. "answered 401 (WWW-Authenticate: Bearer …)".
    public var evidence: String {
        switch self {
        case .accepted(let settle):
            return "was upgraded (101) and still open \(settle) later"
        case .refused(let status, let challenge):
            let shown = challenge.map { " (WWW-Authenticate: \(AttemptOutcome.summarize(challenge: $0)))" } ?? ""
            return "answered \(status)\(shown)"
        case .upgradedThenClosed(let code, let reason):
            return "was upgraded (101) and only then closed by the server with \(code)\(AttemptOutcome.quoted(reason))"
        case .closedAfterAuthMessage(let code, let reason):
            return "was upgraded (101), and the auth message answered with close \(code)\(AttemptOutcome.quoted(reason))"
        case .appAccepted(let app):
            return "was upgraded (101) and \(app) accepted it at its own handshake"
        case .appRefused(let app, let message):
            return "was upgraded (101), and \(app) refused it: \(AttemptOutcome.shorten(message))"
        case .failed(_, let message):
            return "could not be judged: \(message)"
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

/// Opens one handshake the way a check planned it and reports whether the server let it in.
public struct HandshakeProber {
    public var transport: TransportOptions
    /// How long an upgraded socket must stay open to count as accepted.
    public var settle: TimeSpan
    /// `-m/--max-time` for the whole audit.
    public var deadline: Deadline

    /// `--app`: the application protocol that judges the credential after the upgrade.
    public var app: ApplicationProtocolFactory?
    /// `--app`: its HTTP step (Pusher's channel authorization), performed with the
    /// credential a check presents (nil for none), so that the app judges that one.
    public var appRequests: AppCredentialHTTPPerformer?

    /// `-v`: each handshake's request and answer, as `handshake` or `rejected` events.
    public var trace: ((Event) -> Void)?

    /// The longest one handshake may take when no `-m` is shorter.
    static let handshakeLimit = 15.0

    public init(transport: TransportOptions, settle: TimeSpan, deadline: Deadline) {
        self.transport = transport
        self.settle = settle
        self.deadline = deadline
    }

    public func attempt(_ plan: HandshakePlan) -> AttemptOutcome {
        if let app { return attempt(plan, app: app) }
        switch open(plan) {
        case .failure(let outcome):
            return outcome
        case .success(let watch):
            switch watch.wait(until: .earliest(deadline, .after(settle))) {
            case .closed(let code, let reason, _) where plan.authMessage != nil:
                return .closedAfterAuthMessage(code: code, reason: reason)
            case .closed(let code, let reason, _):
                return .upgradedThenClosed(code: code, reason: reason)
            case .stillOpen:
                watch.closeNormally()
                return .accepted(settle: settle)
            }
        }
    }

    /// Opens a socket and hands it over open, for a check that watches it longer.
    func open(_ plan: HandshakePlan) -> Result<SocketWatch, AttemptOutcome> {
        do {
            let limit = Deadline.earliest(deadline, .after(seconds: HandshakeProber.handshakeLimit))
            switch try HandshakeRunner.open(plan, transport: transport, maxMessageSize: 1 << 20, deadline: limit, runDeadline: deadline, tokenPlacement: nil) {
            case .rejected(let rejection):
                trace?(Event(.rejected(rejection)))
                return .failure(.refused(status: rejection.status, wwwAuthenticate: rejection.wwwAuthenticate))
            case .open(let socket):
                trace?(Event(.handshake(socket.report)))
                let watch = SocketWatch(socket)
                if let message = plan.authMessage { watch.send(text: message) }
                return .success(watch)
            }
        } catch {
            return .failure(.failed(error.kind, error.message))
        }
    }
}

extension AttemptOutcome: Error {}
