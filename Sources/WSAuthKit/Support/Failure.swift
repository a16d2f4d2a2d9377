/// The process exit status, as documented in docs/reference/exit-codes.md.
public enum ExitStatus: Int32, Sendable {
    case success = 0
    case failure = 1
    case authRejected = 2
    case handshakeFailed = 3
    case networkFailure = 4
    case timeout = 5
    case abnormalClose = 6
    case auditFailed = 7
    case usage = 64
}

/// What went wrong, in the words of the `error` event's `kind` field.
public enum FailureKind: String, Sendable {
    case auth, handshake, `protocol`, network, tls, timeout, closed, audit, usage, `internal`

    public var exitStatus: ExitStatus {
        switch self {
        case .auth: .authRejected
        case .handshake, .protocol: .handshakeFailed
        case .network, .tls: .networkFailure
        case .timeout: .timeout
        case .closed: .abnormalClose
        case .audit: .auditFailed
        case .usage: .usage
        case .internal: .failure
        }
    }
}

/// The step of opening a WebSocket that can go unanswered (docs/waits.md).
public enum HandshakeStep: String, Sendable {
    case connect = "TCP connect"
    case tlsHello = "TLS hello"
    case upgradeAnswer = "upgrade answer"
}

/// Why a TLS handshake failed, from OpenSSL's verify result (RFC 5280 §6, RFC 6125 §6)
/// or from the handshake breaking off.
public enum TLSProblem: Sendable, Equatable {
    case expired
    case notYetValid
    case wrongHost
    case untrustedChain
    /// The handshake broke off: no ServerHello, a plain-HTTP answer, an alert.
    case handshake
    /// Anything else: a client certificate or key, a CA file, a cipher.
    case other
}

/// What went wrong, for the code that decides by it (doctor's checks, the hint to run
/// doctor, verdicts). The message is for people and is never matched.
public enum FailureCause: Sendable, Equatable {
    /// Nothing more specific than the kind.
    case unspecified
    /// The upgrade was answered with this HTTP status instead of 101.
    case handshakeRefused(status: Int)
    /// `--app`: the application protocol refused the credentials at its own handshake.
    case appRefused
    /// A step of the handshake got no answer within its bound.
    case noAnswer(HandshakeStep)
    /// The server closed the connection without answering the upgrade.
    case closedWithoutAnswer
    /// The answer to the upgrade is not HTTP (a TLS alert to a plain request, …).
    case notHTTP
    /// A 101 that breaks RFC 6455 §4.2.2 (a wrong Sec-WebSocket-Accept, an unrequested subprotocol).
    case badAnswer
    case dnsFailed
    case connectionRefused
    case tls(TLSProblem)
    /// Any other libcurl error, by its CURLcode.
    case curl(Int32)
    /// The URL's scheme does not match what the port speaks; `use` is the URL that does.
    case schemeMismatch(use: String)
}

/// An error that ends a command: one line for stderr, and the exit code it means.
///
/// `message` says what happened and, where there is one, what to try next.
public struct Failure: Error, Sendable, CustomStringConvertible {
    public var kind: FailureKind
    public var message: String
    public var cause: FailureCause
    /// Overrides the kind's usual exit status (a closed connection that ends a
    /// `--count` early is a timeout-class failure, exit 5, of kind `closed`).
    public var exitOverride: ExitStatus?

    public init(_ kind: FailureKind, _ message: String, cause: FailureCause = .unspecified, exit: ExitStatus? = nil) {
        self.kind = kind
        self.message = message
        self.cause = cause
        self.exitOverride = exit
    }

    public var exitStatus: ExitStatus { exitOverride ?? kind.exitStatus }
    public var description: String { message }

    public static func usage(_ message: String) -> Failure { Failure(.usage, message) }
}

extension Failure {
    /// A refused upgrade, or an `--app` handshake that refused the credentials: what
    /// `wsauth doctor` explains, so that probe and connect end such a line with it.
    public var explainedByDoctor: Bool {
        switch cause {
        case .handshakeRefused, .appRefused: true
        default: false
        }
    }
}
