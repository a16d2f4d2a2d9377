/// Opens handshakes the way a check planned them, for audit's matrix and doctor's
/// checks alike. `LiveHandshakeProbe` goes over the wire; tests pass a fake that
/// answers from a rule (docs/ARCHITECTURE.md "Probing").
public protocol HandshakeProbe {
    /// One handshake (with `--app`, the app's own handshake after the upgrade), held
    /// for the settle time to see whether the server drops it, then closed with 1000.
    func attempt(_ plan: HandshakePlan) -> ProbeOutcome
    /// Opens `plan` and keeps it for `span`: nothing sent but the answers to the
    /// server's pings (and the app's keepalives), and a ping every `pingEvery` if given.
    func hold(_ plan: HandshakePlan, for span: TimeSpan, pingEvery: TimeSpan?) -> HoldOutcome
}

/// What one probing handshake came to: the facts, read by audit's rules
/// (ProbeOutcome+Audit.swift) and doctor's checks (ProbeOutcome+Doctor.swift) each
/// in their own way.
public enum ProbeOutcome: Sendable {
    /// 101, and the socket still open `settle` later.
    case accepted(HandshakeReport, settle: TimeSpan)
    /// `--app`: 101, the app accepted the credential at its own handshake, and the
    /// session was still up once the settle time passed.
    case appAccepted(HandshakeReport, app: String)
    /// 101, then a close within the settle time; `after` says what it followed.
    case closed(HandshakeReport, code: UInt16, reason: String, after: CloseMoment)
    /// `--app`: 101, then the app refused the credential at its own handshake
    /// (Socket.IO CONNECT_ERROR `44`, a graphql-ws close 4403) with its message.
    case appRefused(HandshakeReport, app: String, message: String)
    /// `--app`: 101, then no answer to the app handshake in time, or an answer that
    /// is not the app's protocol (another `--app`, path or namespace).
    case appSilent(HandshakeReport, app: String, why: AppSilence)
    /// Any answer other than 101.
    case rejected(RejectionReport)
    /// No answer: DNS, TCP, TLS, timeout, or an answer that broke RFC 6455.
    case failed(Failure)
}

/// What a close right after the upgrade answered.
public enum CloseMoment: Sendable, Equatable {
    /// Nothing of ours: the credential went with the upgrade.
    case upgrade
    /// The credential sent after the upgrade: the first message, or the app's handshake.
    case credential
    /// `--app`: the session the app had accepted.
    case appSession(app: String)
}

/// Why an `--app` handshake never came to a verdict.
public enum AppSilence: Sendable, Equatable {
    /// No answer within the bound (HandshakeBound.appHandshake).
    case noAnswer(within: TimeSpan)
    /// The protocol's own wait ran out (MQTT's CONNACK, a missed heartbeat).
    case timedOut(String)
    /// The answer broke the app's protocol.
    case violation(String)
}

/// How a held connection came out.
public enum HoldOutcome: Sendable {
    /// The handshake (or the app's) did not let the connection in.
    case notOpened(ProbeOutcome)
    /// Opened at `opened` and ended as `ending` at `ended` (both `Clock.now()`).
    case held(opened: Double, ending: HoldEnding, ended: Double)
}

/// How a held connection ended.
public enum HoldEnding: Sendable, Equatable {
    /// Still open when the time was up.
    case stillOpen
    /// The WebSocket closed: a close frame's code, or 1006 when it had none (RFC 6455 §7.1.5).
    case closed(code: UInt16, reason: String)
    /// `--app`: the server ended the app session on the open socket (Socket.IO `41`).
    case appEnded(app: String, reason: String)
    /// `--app`: the app's keepalive ran out or its protocol was broken.
    case appBroke(app: String, why: String)
}

extension ProbeOutcome {
    /// The 101's report, when the upgrade went through.
    public var report: HandshakeReport? {
        switch self {
        case .accepted(let report, _), .appAccepted(let report, _), .closed(let report, _, _, _),
            .appRefused(let report, _, _), .appSilent(let report, _, _):
            report
        case .rejected, .failed: nil
        }
    }
}
