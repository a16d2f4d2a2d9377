#if canImport(Glibc)
import Glibc
#endif

/// Runs a session from the first handshake to its exit status, reconnecting
/// (with a refreshed token) when `--reconnect` asks for it.
///
/// Events come in the order close → refresh → reconnect → handshake (cli.md).
public final class SessionDriver {
    public var plan: (Secret?) -> HandshakePlan
    public var token: Secret?
    public let transport: TransportOptions
    public let script: SessionScript
    public var output: SessionOutput
    public let redactor: Redactor
    public var reconnect: ReconnectPolicy?
    public var refresher: TokenRefresher?
    public var tokenPlacement: String?
    private let deadline: Deadline
    private let timeout: Deadline

    public init(plan: @escaping (Secret?) -> HandshakePlan, token: Secret?, transport: TransportOptions,
                script: SessionScript, output: SessionOutput, redactor: Redactor) {
        self.plan = plan
        self.token = token
        self.transport = transport
        self.script = script
        self.output = output
        self.redactor = redactor
        deadline = .after(transport.maxTime)
        timeout = .after(script.timeout)
    }

    /// nil on success, else the failure that ends the command.
    /// `input`: pipe-mode stdin, the REPL, or nil (probe).
    public func run(input: SessionInput?) throws(Failure) -> Failure? {
        var progress = ScriptProgress()
        var attempt = 0
        var refreshedForThisFailure = false
        while true {
            let failure: Failure
            let cause: String
            var wantsRefresh = false
            do throws(Failure) {
                let handshakePlan = plan(token)
                let outcome = try HandshakeRunner.open(
                    handshakePlan, transport: transport, maxMessageSize: script.maxMessageSize,
                    deadline: .earliest(deadline, timeout), tokenPlacement: token == nil ? nil : tokenPlacement)
                switch outcome {
                case .rejected(let rejection):
                    output.emit(Event(.rejected(rejection)))
                    let verdict = SessionVerdict.failure(for: rejection, tokenGiven: token != nil)
                    // A 401 with --reconnect: the token may have expired between two connections.
                    guard reconnect != nil, rejection.status == 401, !refreshedForThisFailure, refresher != nil else {
                        if try reconnectOnRequest(input?.nextConnection(after: nil)) { continue }
                        return verdict
                    }
                    failure = verdict
                    cause = "HTTP 401 at the handshake"
                    wantsRefresh = true
                case .open(let socket):
                    output.emit(Event(.handshake(socket.report)))
                    attempt = 0
                    refreshedForThisFailure = false
                    let loop = ConnectionLoop(
                        socket: socket, script: script, progress: progress, authMessage: handshakePlan.authMessage,
                        output: output, redactor: redactor, deadline: deadline, timeout: timeout,
                        input: input)
                    let end = try loop.run()
                    progress = loop.finalProgress
                    // Over: end TCP now, not when the socket is released, for the REPL
                    // may wait long for the person's next move while the server waits
                    // for our side to go (RFC 6455 §7.1.1).
                    shutdown(socket.stream.socket, Int32(SHUT_RDWR))
                    let verdict = SessionVerdict.failure(for: end, script: script, progress: progress)
                    let automaticCause = reconnect == nil || verdict == nil
                        ? nil : SessionDriver.reconnectCause(end, script: script)
                    let request = loop.requestedReconnect ?? (automaticCause == nil ? input?.nextConnection(after: nil) : nil)
                    if try reconnectOnRequest(request) { continue }
                    guard let verdict else { return nil }
                    guard let reason = automaticCause else { return verdict }
                    failure = verdict
                    cause = reason
                    if case .serverClosed = end { wantsRefresh = true }
                }
            } catch where error.kind == .network || error.kind == .timeout && !deadline.hasPassed && !timeout.hasPassed {
                guard reconnect != nil else {
                    if try reconnectOnRequest(input?.nextConnection(after: error)) { continue }
                    throw error
                }
                failure = error
                cause = error.message
            }
            guard let policy = reconnect, !deadline.hasPassed, !timeout.hasPassed else { return failure }
            if wantsRefresh, let refresher {
                // One refresh per expiry: the store serializes it across processes too.
                if let fresh = try refresher() {
                    token = fresh
                    redactor.register(token: fresh)
                }
                refreshedForThisFailure = true
            }
            attempt += 1
            guard attempt <= policy.maxRetries else {
                return Failure(failure.kind, "\(failure.message) (gave up after \(policy.maxRetries) reconnect attempts)",
                               exit: failure.exitOverride)
            }
            let delay = policy.delay(forAttempt: attempt)
            output.emit(Event(.reconnect(ReconnectReport(attempt: attempt, delayMs: Int(delay * 1000), cause: cause))))
            output.flush()
            SessionDriver.sleep(seconds: delay, until: .earliest(deadline, timeout))
        }
    }

    /// The person asked (`/refresh`, `/reconnect`): true to reconnect at once.
    /// Without a refresher (a token from the command line or the environment,
    /// none stored), the person is told before the same token is used again.
    private func reconnectOnRequest(_ request: InputAction?) throws(Failure) -> Bool {
        guard let request else { return false }
        guard request == .refreshAndReconnect else { return true }
        guard let refresher else {
            output.emit(Event(.refresh(RefreshReport(
                ok: false, expiresAt: nil, rotated: false,
                skipped: "nothing to refresh with (a token from the command line or the environment, or no refresh token stored); reconnecting with the same token"))))
            return true
        }
        if let fresh = try refresher() {
            token = fresh
            redactor.register(token: fresh)
        }
        return true
    }

    /// Why an ended connection deserves another try, or nil when it does not:
    /// a drop, or an auth close code (the token expired). Other closes are answers.
    static func reconnectCause(_ end: SessionEnd, script: SessionScript) -> String? {
        switch end {
        case .dropped(let message):
            return message
        case .serverClosed(let code, let reason):
            guard let code, script.authCloseCodes.contains(code) else { return nil }
            return "close \(code)\(reason.isEmpty ? "" : " \"\(reason)\"")"
        case .finished, .violation, .timedOut:
            return nil
        }
    }

    static func sleep(seconds: Double, until deadline: Deadline) {
        let wake = Deadline.earliest(.after(seconds: seconds), deadline)
        var nothing: [pollfd] = []
        _ = try? Poller.poll(&nothing, deadline: wake)
    }
}
