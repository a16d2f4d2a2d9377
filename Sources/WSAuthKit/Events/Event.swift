/// Everything a command reports, as typed values (docs/reference/events.md).
///
/// Commands emit events; a human renderer and a JSON-lines renderer consume the
/// same ones, so `--json` never lags behind what people see. An event carries no time:
/// the output stamps it with the wall clock as it writes it (`json(redactor:time:)`), so
/// that the machines that make events read no wall clock.
public struct Event: Sendable {
    public var kind: Kind

    public init(_ kind: Kind) {
        self.kind = kind
    }

    public enum Kind: Sendable {
        case handshake(HandshakeReport)
        case rejected(RejectionReport)
        case sent(MessageReport)
        case message(MessageReport)
        case ping(ControlFrameReport)
        case pong(ControlFrameReport)
        case close(CloseReport)
        case refresh(RefreshReport)
        case reconnect(ReconnectReport)
        case check(CheckReport)
        case finding(FindingReport)
        case token(TokenReport)
        case status(StatusReport)
        case login(LoginReport)
        case error(ErrorReport)
        /// A line of narration or a warning, for people; not part of the JSON stream.
        case note(String)
        /// `--app`: the application protocol's own handshake succeeded (a `welcome`, a
        /// CONNACK, a `connection_ack`…), with what it told (`sid=…`). For people it reads
        /// as a note; the REPL's prompt says `open` only from here on.
        case appOpened(app: String, details: [(name: String, value: String)])
        /// Secrets the library has just loaded or received (stored credentials, a
        /// login's answer, the request's own credentials), sent before anything that
        /// could quote them so that the output registers them; never shown.
        case secrets([Secret])
    }
}

public struct Timings: Sendable {
    public var dnsMs: Int?
    public var connectMs: Int?
    public var tlsMs: Int?
    public var upgradeMs: Int?
    public init(dnsMs: Int? = nil, connectMs: Int? = nil, tlsMs: Int? = nil, upgradeMs: Int? = nil) {
        self.dnsMs = dnsMs
        self.connectMs = connectMs
        self.tlsMs = tlsMs
        self.upgradeMs = upgradeMs
    }
}

public struct HandshakeReport: Sendable {
    public var url: String
    public var status: Int
    public var requestLine: String
    public var requestHeaders: [HTTPHeader]
    public var statusLine: String
    public var responseHeaders: [HTTPHeader]
    public var subprotocol: String?
    public var extensions: [String]
    public var timings: Timings
    public var serverSkewMs: Int?
    public var tokenPlacement: TokenPlacement?
    public init(
        url: String,
        status: Int,
        requestLine: String,
        requestHeaders: [HTTPHeader],
        statusLine: String,
        responseHeaders: [HTTPHeader],
        subprotocol: String?,
        extensions: [String],
        timings: Timings,
        serverSkewMs: Int?,
        tokenPlacement: TokenPlacement?
    ) {
        self.url = url
        self.status = status
        self.requestLine = requestLine
        self.requestHeaders = requestHeaders
        self.statusLine = statusLine
        self.responseHeaders = responseHeaders
        self.subprotocol = subprotocol
        self.extensions = extensions
        self.timings = timings
        self.serverSkewMs = serverSkewMs
        self.tokenPlacement = tokenPlacement
    }
}

public struct RejectionReport: Sendable {
    public var url: String
    public var status: Int
    public var statusLine: String
    public var headers: [HTTPHeader]
    public var body: String
    public var wwwAuthenticate: String?
    /// Set when an application protocol (`--app`) refused the credentials on an
    /// open socket (the upgrade itself succeeded): its name and the server's message.
    public var app: String?
    public var message: String?
    public init(
        url: String,
        status: Int,
        statusLine: String,
        headers: [HTTPHeader],
        body: String,
        wwwAuthenticate: String?,
        app: String? = nil,
        message: String? = nil
    ) {
        self.url = url
        self.status = status
        self.statusLine = statusLine
        self.headers = headers
        self.body = body
        self.wwwAuthenticate = wwwAuthenticate
        self.app = app
        self.message = message
    }
}

public enum MessagePayload: Sendable {
    case text(String)
    case binary([UInt8])

    public var size: Int {
        switch self {
        case .text(let s): s.utf8.count
        case .binary(let b): b.count
        }
    }
}

public struct MessageReport: Sendable {
    public var payload: MessagePayload
    /// True for the auth message (`--token-in message`): its text is a credential.
    public var carriesCredential: Bool
    public init(payload: MessagePayload, carriesCredential: Bool = false) {
        self.payload = payload
        self.carriesCredential = carriesCredential
    }
}

public struct ControlFrameReport: Sendable {
    public var direction: Direction
    public var data: [UInt8]
    public var rttMs: Double?
    public init(direction: Direction, data: [UInt8], rttMs: Double? = nil) {
        self.direction = direction
        self.data = data
        self.rttMs = rttMs
    }
    public enum Direction: String, Sendable { case `in`, out }
}

public struct CloseReport: Sendable {
    /// nil when the close frame had no status (1005) or there was no close frame (1006).
    public var code: UInt16
    public var reason: String
    public var initiator: Initiator
    public var meaning: String
    public var auth: Bool
    public init(code: UInt16, reason: String, initiator: Initiator, meaning: String, auth: Bool) {
        self.code = code
        self.reason = reason
        self.initiator = initiator
        self.meaning = meaning
        self.auth = auth
    }
}

public struct RefreshReport: Sendable {
    public var ok: Bool
    public var expiresAt: Timestamp?
    public var rotated: Bool
    public var status: Int?
    public var skipped: String?
    public init(ok: Bool, expiresAt: Timestamp?, rotated: Bool, status: Int? = nil, skipped: String? = nil) {
        self.ok = ok
        self.expiresAt = expiresAt
        self.rotated = rotated
        self.status = status
        self.skipped = skipped
    }
}

public struct ReconnectReport: Sendable {
    public var attempt: Int
    public var delayMs: Int
    public var cause: String
    public init(attempt: Int, delayMs: Int, cause: String) {
        self.attempt = attempt
        self.delayMs = delayMs
        self.cause = cause
    }
}

public struct CheckReport: Sendable {
    public enum Verdict: String, CaseIterable, Sendable { case pass, warn, fail, skip }
    public var name: String
    public var verdict: Verdict
    public var detail: String
    public init(name: String, verdict: Verdict, detail: String) {
        self.name = name
        self.verdict = verdict
        self.detail = detail
    }
}

public struct TokenReport: Sendable {
    public var opaque: Bool
    public var header: JSONValue?
    public var claims: JSONValue?
    public var expiresAt: Timestamp?
    public var expiresInSeconds: Int?
    public init(opaque: Bool, header: JSONValue?, claims: JSONValue?, expiresAt: Timestamp?, expiresInSeconds: Int?) {
        self.opaque = opaque
        self.header = header
        self.claims = claims
        self.expiresAt = expiresAt
        self.expiresInSeconds = expiresInSeconds
    }
}

public struct StatusReport: Sendable {
    public var profile: String
    public var loggedIn: Bool
    public var accessExpiresAt: Timestamp?
    public var refreshToken: Bool
    public var cookies: [String]
    public init(profile: String, loggedIn: Bool, accessExpiresAt: Timestamp?, refreshToken: Bool, cookies: [String]) {
        self.profile = profile
        self.loggedIn = loggedIn
        self.accessExpiresAt = accessExpiresAt
        self.refreshToken = refreshToken
        self.cookies = cookies
    }
}

public struct LoginReport: Sendable {
    public var ok: Bool
    public var user: String?
    public var tokenType: String?
    public var expiresAt: Timestamp?
    public var cookies: [String]
    public var warnings: [String]
    public init(
        ok: Bool,
        user: String?,
        tokenType: String?,
        expiresAt: Timestamp?,
        cookies: [String],
        warnings: [String]
    ) {
        self.ok = ok
        self.user = user
        self.tokenType = tokenType
        self.expiresAt = expiresAt
        self.cookies = cookies
        self.warnings = warnings
    }
}

public struct ErrorReport: Sendable {
    public var failure: Failure
    public init(_ failure: Failure) { self.failure = failure }
}

/// One diagnosis of `wsauth doctor`: what was found and what would fix it.
public struct FindingReport: Sendable, Equatable {
    public enum Severity: String, Sendable { case ok, warn, error }
    public var check: String
    public var severity: Severity
    public var detail: String
    /// nil when there is nothing to do.
    public var fix: String?
    public init(check: String, severity: Severity, detail: String, fix: String?) {
        self.check = check
        self.severity = severity
        self.detail = detail
        self.fix = fix
    }
}
