/// The end of one connection (RFC 6455 §7): how far it is from its end, the one
/// place that says how it ended, and the single `close` event that settles it.
struct CloseHandshake: Sendable {
    enum Phase: Sendable, Equatable {
        case open
        /// Our close frame is out (`reason` for the close event); the server has
        /// until `until` to answer it. `held`: the app's goodbye went out instead and
        /// awaits its answer (STOMP's DISCONNECT for its RECEIPT) before our close frame.
        case closing(ConnectionEnd, reason: String, until: Double, held: HeldClose?)
        case over(ConnectionEnd)
    }

    /// Our close frame, held back behind the app's goodbye until `at` at the latest.
    struct HeldClose: Sendable, Equatable {
        let code: CloseCode
        let at: Double
    }

    /// How long we wait for the server to answer our close (docs/reference/behaviour.md: at most 5 s).
    static let wait = 5.0

    private(set) var phase: Phase = .open
    /// Close codes that mean "the credentials are no longer good" (`auth` in the event).
    let authCodes: Set<UInt16>

    init(authCodes: Set<UInt16>) {
        self.authCodes = authCodes
    }

    var isOpen: Bool { phase == .open }

    /// `end != nil` without copying the end out: asked before every received message.
    var isOver: Bool {
        if case .over = phase { return true }
        return false
    }

    /// How the connection ended, once it has.
    var end: ConnectionEnd? {
        if case .over(let end) = phase { return end }
        return nil
    }

    /// The end we are closing for, while our close is out.
    var closingEnd: ConnectionEnd? {
        if case .closing(let end, _, _, _) = phase { return end }
        return nil
    }

    /// The server's close means more at the application level (graphql-ws 4403 before
    /// `connection_ack` is a refusal): the connection ended that way instead.
    mutating func reinterpret(as end: ConnectionEnd) {
        if case .over = phase { phase = .over(end) }
    }

    var deadline: Double? {
        if case .closing(_, _, let until, let held) = phase { return min(until, held?.at ?? until) }
        return nil
    }

    /// Our close goes out now, for `end`; false when the connection is not open.
    mutating func begin(_ end: ConnectionEnd, reason: String, now: Double) -> Bool {
        guard isOpen else { return false }
        phase = .closing(end, reason: reason, until: now + CloseHandshake.wait, held: nil)
        return true
    }

    /// The close just begun waits for the app's goodbye to be answered, until `at` at the latest.
    mutating func hold(_ code: CloseCode, until at: Double) {
        guard case .closing(let end, let reason, let until, nil) = phase else { return }
        phase = .closing(end, reason: reason, until: until, held: HeldClose(code: code, at: at))
    }

    /// The held close frame, now due (`now` is past its time, or nil: the goodbye
    /// was answered); it is no longer held.
    mutating func releaseHeld(now: Double?) -> (code: CloseCode, reason: String)? {
        guard case .closing(let end, let reason, let until, let held?) = phase, now.map({ $0 >= held.at }) ?? true
        else { return nil }
        phase = .closing(end, reason: reason, until: until, held: nil)
        return (held.code, reason)
    }

    /// The peer's close frame settles the connection: an answer to ours, or the
    /// server closing first (`ourCode`: the code of the close we sent, if any).
    mutating func received(code: CloseCode?, reason: String, ourCode: CloseCode?) -> CloseReport? {
        switch phase {
        case .closing(let end, let sentReason, _, _):
            phase = .over(end)
            return report((ourCode ?? .normalClosure).rawValue, sentReason, .client)
        case .open:
            phase = .over(.serverClosed(code: code?.rawValue, reason: reason))
            return report(code?.rawValue ?? CloseCode.noStatusReceived.rawValue, reason, .server)
        case .over:
            return nil
        }
    }

    /// TCP ended (EOF): while open, a drop without a close frame (1006). While our
    /// close is out (`ourCode`), the server ended TCP instead of answering it (an MQTT
    /// broker after its DISCONNECT, 5.0 §3.14): our close is the one that settles it.
    mutating func transportEnded(ourCode: CloseCode?) -> CloseReport? {
        switch phase {
        case .open:
            phase = .over(.dropped("the server closed the TCP connection without a close frame (1006)"))
            return report(CloseCode.abnormalClosure.rawValue, "", .server)
        case .closing(let end, let sentReason, _, _):
            phase = .over(end)
            return ourCode.map { report($0.rawValue, sentReason, .client) }
        case .over:
            return nil
        }
    }

    /// Reading or writing failed: the peer is gone; what ends the session is what
    /// we read (or did not).
    mutating func transportFailed(_ message: String) {
        switch phase {
        case .open: phase = .over(.dropped(message))
        case .closing(let end, _, _, _): phase = .over(end)
        case .over: break
        }
    }

    /// The server never answered our close in time: give up on the handshake.
    mutating func expire(now: Double) {
        if case .closing(let end, _, let until, _) = phase, now >= until { phase = .over(end) }
    }

    /// Ends at once, with no answer awaited (a protocol violation, a silent peer):
    /// `end`, unless we were already closing for another reason.
    mutating func abort(_ end: ConnectionEnd, code: UInt16, reason: String) -> CloseReport? {
        guard self.end == nil else { return nil }
        phase = .over(closingEnd ?? end)
        return report(code, reason, .client)
    }

    private func report(_ code: UInt16, _ reason: String, _ initiator: Initiator) -> CloseReport {
        CloseReport(
            code: code,
            reason: reason,
            initiator: initiator,
            meaning: CloseCode(rawValue: code).meaning,
            auth: authCodes.contains(code)
        )
    }
}
