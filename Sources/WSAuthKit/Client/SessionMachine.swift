/// A session from the first handshake to its verdict, sans-IO (the shape of
/// h11's connection objects and WSCore's state machine): events go in — a
/// handshake done or refused, bytes, input, a timer, a refresh result — and
/// `SessionAction`s come out. Reconnect, backoff, refresh-once, keepalive, the
/// script and the exit verdict live here; the clock is the caller's `now`
/// (monotonic seconds), so every path runs under a fake clock in the tests.
///
/// "Wait until" is `nextDeadline`: the driver calls `timerFired` once it passed.
/// Events come in the order close → refresh → reconnect → handshake (docs/reference/behaviour.md).
/// An event the stage cannot take is reported to `misuse` and dropped (docs/ARCHITECTURE.md "State").
public struct SessionMachine: Sendable {
    enum Stage: Sendable {
        /// Before `start`.
        case idle
        /// A `.connect` is out: a handshake outcome is due.
        case connecting
        case connected(Connected)
        /// A `.refresh` is out: `refreshed` or `refreshFailed` is due.
        case refreshing(then: AfterRefresh)
        case backingOff(until: Double)
        case askingPerson(verdict: Failure?)
        case done
    }

    enum AfterRefresh: Sendable {
        case retry(Failure, cause: String)
        case reconnectNow
    }

    /// What exists while a connection is open.
    struct Connected: Sendable {
        var connection: ConnectionMachine
        /// When the connection was first seen authenticated: the failure counters
        /// reset only once it has lasted (`provenAfter`).
        var authenticatedSince: Double?
    }

    public let configuration: SessionConfiguration
    public internal(set) var token: Secret?
    var stage: Stage = .idle
    let misuse: MisuseReporter
    // What spans connections: each connection starts from it and leaves it behind.
    /// The application protocol of the connection that ended, for the next one to take over.
    var previousApp: (any AppSession)?
    var progress = ScriptProgress()
    var attempt = 0
    var refreshedForThisFailure = false
    var inputOpen: Bool
    let deadlines: [(flag: String, at: Double)]

    public init(configuration: SessionConfiguration, token: Secret?, now: Double, misuse: MisuseReporter = .assertion) {
        self.configuration = configuration
        self.token = token
        self.misuse = misuse
        inputOpen = configuration.hasInput
        deadlines = [("-m/--max-time", configuration.maxTime), ("--timeout", configuration.script.timeout)]
            .compactMap { flag, span in span.map { (flag, now + $0.seconds) } }
    }

    var script: SessionScript { configuration.script }
    public var isConnected: Bool {
        if case .connected = stage { true } else { false }
    }

    /// Where the script stands (kept across reconnects), for the CI reports.
    public var scriptProgress: ScriptProgress {
        if case .connected(let open) = stage { open.connection.progress } else { progress }
    }

    public var nextDeadline: Double? {
        switch stage {
        case .connected(let open): open.connection.nextDeadline
        case .backingOff(let until): until
        default: nil
        }
    }

    // MARK: Events

    public mutating func start() -> [SessionAction] {
        guard case .idle = stage else { return misused("start") }
        return connect()
    }

    public mutating func handshakeOpened(
        _ report: HandshakeReport,
        connection: WebSocketConnection,
        early: [UInt8],
        authMessage: String?,
        now: Double
    ) -> [SessionAction] {
        guard case .connecting = stage else { return misused("handshakeOpened") }
        var out: [SessionAction] = [.emit(Event(.handshake(report)))]
        var app = configuration.app.map { $0(token) }
        if let previousApp { app?.takeOver(from: previousApp) }
        var opened = ConnectionMachine(
            script: script,
            handshake: report,
            connection: connection,
            progress: progress,
            app: app,
            inputOpen: inputOpen,
            sessionDeadlines: deadlines,
            now: now,
            misuse: misuse
        )
        opened.start(authMessage: authMessage, early: early, now: now, &out)
        stage = .connected(Connected(connection: opened))
        afterStep(now: now, &out)
        return out
    }

    public mutating func handshakeRefused(_ rejection: RejectionReport, now: Double) -> [SessionAction] {
        guard case .connecting = stage else { return misused("handshakeRefused") }
        var out: [SessionAction] = [.emit(Event(.rejected(rejection)))]
        let verdict = SessionVerdict.failure(for: rejection, tokenGiven: token != nil)
        // A 401 with --reconnect: the token may have expired between two connections.
        if configuration.reconnect != nil, rejection.status == 401, !refreshedForThisFailure, configuration.canRefresh {
            retry(verdict, cause: "HTTP 401 at the handshake", refresh: true, now: now, &out)
        } else {
            askPerson(after: nil, verdict: verdict, &out)
        }
        return out
    }

    /// Opening the connection failed (DNS, refused, TLS, a bad 101, a timeout).
    public mutating func connectFailed(_ failure: Failure, now: Double) -> [SessionAction] {
        guard case .connecting = stage else { return misused("connectFailed") }
        var out: [SessionAction] = []
        // A wrong scheme stays wrong however often it is tried.
        let wrongScheme = if case .schemeMismatch = failure.cause { true } else { false }
        let retriable = !wrongScheme && (failure.kind == .network || failure.kind == .timeout && !deadlinePassed(now))
        if !retriable {
            finish(failure, &out)
        } else if configuration.reconnect == nil {
            askPerson(after: failure, verdict: failure, &out)
        } else {
            retry(failure, cause: failure.message, refresh: false, now: now, &out)
        }
        return out
    }

    /// Bytes are read only from an open connection's socket.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, now: Double) -> [SessionAction] {
        var out: [SessionAction] = []
        receive(bytes, now: now, into: &out)
        return out
    }

    /// `receive`, its actions appended to `out`: the loop keeps one array for every read,
    /// so that a firehose allocates none per read and destroys its actions with code
    /// specialized for them rather than the array's generic deinit.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, now: Double, into out: inout [SessionAction]) {
        guard isConnected else {
            out += misused("receive")
            return
        }
        step(now: now, into: &out) { $0.receive(bytes, now: now, &$1) }
    }

    /// How many bytes a large frame under way on the open connection still waits for; 0
    /// when none does. The loop reads them with `receiveLargePayload`, not `receive`.
    public var largePayloadRemaining: Int {
        if case .connected(let open) = stage { open.connection.connection.largePayloadRemaining } else { 0 }
    }

    /// `receive` for the bytes of a large frame under way: `read` writes them straight
    /// into the frame's own buffer and returns how many (issue 23); so does this.
    public mutating func receiveLargePayload(
        now: Double,
        into out: inout [SessionAction],
        reading read: (UnsafeMutableRawBufferPointer) -> Int
    ) -> Int {
        guard isConnected else {
            out += misused("receive")
            return 0
        }
        var count = 0
        step(now: now, into: &out) { count = $0.receiveLargePayload(now: now, &$1, reading: read) }
        return count
    }

    public mutating func receive(_ bytes: [UInt8], now: Double) -> [SessionAction] {
        bytes.withUnsafeBytes { receive($0, now: now) }
    }

    /// The server closed TCP (EOF on the socket).
    public mutating func transportEnded(now: Double) -> [SessionAction] {
        guard isConnected else { return misused("transportEnded") }
        return step(now: now) { $0.transportEnded(now: now, &$1) }
    }

    /// Reading or writing the socket failed. Not misuse once the connection is
    /// over: a write asked for by the step that ended it may fail afterwards.
    public mutating func transportFailed(_ failure: Failure, now: Double) -> [SessionAction] {
        step(now: now) { $0.transportFailed(failure, &$1) }
    }

    /// The answer to an `appRequest`; none is due once the connection is over.
    public mutating func answered(_ answer: AppHTTPAnswer, now: Double) -> [SessionAction] {
        guard isConnected else { return [] }
        return step(now: now) { $0.answered(answer, now: now, &$1) }
    }

    /// Input read in one go may outlast the connection (a `/close` line, then more): not misuse.
    public mutating func input(_ action: InputAction, now: Double) -> [SessionAction] {
        guard isConnected else {
            if action == .endOfInput { inputOpen = false }
            return []
        }
        return step(now: now) { $0.input(action, now: now, &$1) }
    }

    /// A wake-up in any stage is harmless (the driver's poll may return late or early): not misuse.
    public mutating func timerFired(now: Double) -> [SessionAction] {
        if case .backingOff(let until) = stage {
            return now >= until ? connect() : []
        }
        return step(now: now) { $0.timerFired(now: now, &$1) }
    }

    public mutating func refreshed(_ fresh: Secret?, now: Double) -> [SessionAction] {
        guard case .refreshing(let then) = stage else { return misused("refreshed") }
        if let fresh { token = fresh }
        switch then {
        case .reconnectNow:
            return connect()
        case .retry(let failure, let cause):
            // One refresh per expiry: the store serializes it across processes too.
            refreshedForThisFailure = true
            var out: [SessionAction] = []
            backOff(failure, cause: cause, now: now, &out)
            return out
        }
    }

    /// The refresh itself failed: that failure ends the session.
    public mutating func refreshFailed(_ failure: Failure) -> [SessionAction] {
        guard case .refreshing = stage else { return misused("refreshFailed") }
        var out: [SessionAction] = []
        finish(failure, &out)
        return out
    }

    /// The person's answer to `askPerson`: `/reconnect`, `/refresh`, or nil to leave.
    public mutating func personChose(_ choice: InputAction?, now: Double) -> [SessionAction] {
        guard case .askingPerson(let verdict) = stage else { return misused("personChose") }
        var out: [SessionAction] = []
        if let choice, choice == .reconnect || choice == .refreshAndReconnect {
            reconnect(on: choice, &out)
        } else {
            finish(verdict, &out)
        }
        return out
    }

    /// Reports `event` as fed in the wrong stage; it changes nothing.
    private func misused(_ event: String) -> [SessionAction] {
        misuse.report(ProtocolMisuse(machine: "SessionMachine", event: event, state: stage.name))
        return []
    }
}

extension SessionMachine.Stage {
    /// For a `ProtocolMisuse`.
    var name: String {
        switch self {
        case .idle: "idle"
        case .connecting: "connecting"
        case .connected: "connected"
        case .refreshing: "refreshing"
        case .backingOff: "backing off"
        case .askingPerson: "asking the person"
        case .done: "done"
        }
    }
}
