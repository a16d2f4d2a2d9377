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

/// An error that ends a command: one line for stderr, and the exit code it means.
///
/// `message` says what happened and, where there is one, what to try next.
public struct Failure: Error, Sendable, CustomStringConvertible {
    public var kind: FailureKind
    public var message: String
    /// Overrides the kind's usual exit status (a closed connection that ends a
    /// `--count` early is a timeout-class failure, exit 5, of kind `closed`).
    public var exitOverride: ExitStatus?

    public init(_ kind: FailureKind, _ message: String, exit: ExitStatus? = nil) {
        self.kind = kind
        self.message = message
        self.exitOverride = exit
    }

    public var exitStatus: ExitStatus { exitOverride ?? kind.exitStatus }
    public var description: String { message }

    public static func usage(_ message: String) -> Failure { Failure(.usage, message) }
}
