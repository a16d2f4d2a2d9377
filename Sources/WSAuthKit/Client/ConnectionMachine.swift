/// One open WebSocket of a session, sans-IO: bytes, input and timer ticks go in,
/// `SessionAction`s come out. It owns the RFC 6455 core (`WebSocketConnection`),
/// the keepalive, the close handshake, the end-of-stdin quiet period, the script's
/// progress on this connection and the application protocol, if any.
/// Its state is `ending` (open, closing, over), `appStage` and `afterEnd`; once
/// over, any event is reported to `misuse` and dropped (docs/ARCHITECTURE.md "State").
struct ConnectionMachine: Sendable {
    /// How far the application protocol's own handshake is.
    enum AppStage: Sendable {
        /// Its handshake is not done (with no app, nothing is awaited: see `authenticated`).
        case handshaking
        case accepted
        /// The app ended the session (a refusal, or the server's end such as STOMP's
        /// ERROR after CONNECTED), which a server close that overtook our close is read
        /// as; `closeReason` is what the `close` event says (an MQTT DISCONNECT's reason code).
        case ended(ConnectionEnd, closeReason: String?, wasAccepted: Bool)
    }

    /// What follows the connection's end, as far as the connection decides it.
    enum AfterEnd: Sendable, Equatable {
        /// `--reconnect` and the verdict decide.
        case sessionDecides
        /// The app said not to reconnect after this end (`AppAction.noReconnect`).
        case noReconnect
        /// The person asked for a reconnect (`/refresh`, `/reconnect`); this outweighs the app.
        case personAsked(InputAction)
    }

    let script: SessionScript
    /// The handshake's URL and status line, for an app-level `rejected` event.
    let handshake: (url: String, statusLine: String)
    /// `-m/--max-time` and `--timeout` as (flag, instant): they span reconnects.
    let sessionDeadlines: [(flag: String, at: Double)]
    /// `--within`, from this connection's handshake.
    let withinDeadline: Double?
    var connection: WebSocketConnection
    var progress: ScriptProgress
    var app: (any AppSession)?
    /// `app != nil`, fixed at init: testing the existential itself copies it, once per message.
    let hasApp: Bool
    var appStage = AppStage.handshaking
    var ending: CloseHandshake
    var afterEnd = AfterEnd.sessionDecides
    let misuse: MisuseReporter
    /// False once input has ended (pipe mode's end of stdin) or when there is none.
    var inputOpen: Bool
    var keepalive: Keepalive
    var quiet: QuietPeriod?
    /// Whether this connection sent any data message (the quiet period is for their answers).
    var sentData = false
    /// Empty between reads: the events of one read, kept for its capacity (`receive`).
    private var receivedEvents: [ConnectionEvent] = []

    init(
        script: SessionScript,
        handshake: HandshakeReport,
        connection: WebSocketConnection,
        progress: ScriptProgress,
        app: (any AppSession)?,
        inputOpen: Bool,
        sessionDeadlines: [(flag: String, at: Double)],
        now: Double,
        misuse: MisuseReporter
    ) {
        self.script = script
        self.handshake = (handshake.url, handshake.statusLine)
        self.connection = connection
        self.progress = progress
        self.app = app
        hasApp = app != nil
        self.inputOpen = inputOpen
        self.sessionDeadlines = sessionDeadlines
        withinDeadline = script.within.map { now + $0.seconds }
        keepalive = Keepalive(interval: script.pingInterval, now: now)
        ending = CloseHandshake(authCodes: script.authCloseCodes)
        self.misuse = misuse
    }

    /// The session is authenticated: at once without an app, after its handshake with one.
    var authenticated: Bool {
        switch appStage {
        case _ where app == nil, .accepted: true
        case .handshaking: false
        case .ended(_, _, let wasAccepted): wasAccepted
        }
    }

    var nextDeadline: Double? {
        guard isOpen else { return ending.deadline }
        var candidates =
            sessionDeadlines.map(\.at)
            + [keepalive.nextDeadline, quiet?.deadline(waitingForApp: !authenticated), app?.nextDeadline]
        if script.expectClose != nil { candidates.append(withinDeadline) }
        return candidates.compactMap { $0 }.min()
    }

    // MARK: Events

    mutating func start(authMessage: String?, early: [UInt8], now: Double, _ out: inout [SessionAction]) {
        if let authMessage { send(.text(authMessage), carriesCredential: true, out: &out) }
        if app != nil {
            apply(app?.start(now: now) ?? [], now: now, &out)
        } else {
            sendScripted(now: now, &out)
        }
        if !early.isEmpty, !isOver { receive(early, now: now, &out) }
        startQuietPeriodIfDue(now: now)
        checkTimers(now: now, &out)
        flush(&out)
    }

    mutating func receive(_ bytes: UnsafeRawBufferPointer, now: Double, _ out: inout [SessionAction]) {
        guard !misusedOver("receive") else { return }
        receiving(now: now, &out) { connection, events in connection.receive(bytes, into: &events) }
    }

    /// `receive` for the bytes of a large frame under way, read straight into its buffer
    /// (`WebSocketConnection.receiveLargePayload`); returns how many `read` wrote.
    mutating func receiveLargePayload(
        now: Double,
        _ out: inout [SessionAction],
        reading read: (UnsafeMutableRawBufferPointer) -> Int
    ) -> Int {
        guard !misusedOver("receive") else { return 0 }
        return receiving(now: now, &out) { connection, events in
            connection.receiveLargePayload(into: &events, reading: read)
        }
    }

    /// Lets `deliver` give the connection what arrived, then handles the events it made.
    /// The events array is swapped out while in use, so that it is unique when emptied
    /// and keeps its capacity: no array per message.
    private mutating func receiving<Result>(
        now: Double,
        _ out: inout [SessionAction],
        _ deliver: (inout WebSocketConnection, inout [ConnectionEvent]) -> Result
    ) -> Result {
        let wasOpen = connection.state == .open
        var events: [ConnectionEvent] = []
        swap(&events, &receivedEvents)
        let result = deliver(&connection, &events)
        handle(events, coreOpen: wasOpen, now: now, &out)
        events.removeAll(keepingCapacity: true)
        receivedEvents = events
        flush(&out)
        return result
    }

    mutating func receive(_ bytes: [UInt8], now: Double, _ out: inout [SessionAction]) {
        bytes.withUnsafeBytes { receive($0, now: now, &out) }
    }

    /// The TCP connection ended (EOF).
    mutating func transportEnded(now: Double, _ out: inout [SessionAction]) {
        guard !misusedOver("transportEnded") else { return }
        emit(ending.transportEnded(ourCode: connection.sentCloseCode), &out)
        judgeAppDrop()
    }

    /// Reading or writing failed.
    mutating func transportFailed(_ failure: Failure, _ out: inout [SessionAction]) {
        guard !misusedOver("transportFailed") else { return }
        ending.transportFailed(failure.message)
        judgeAppDrop()
    }

    /// Input while closing is not misuse (the person may type on): what cannot be sent is not.
    mutating func input(_ action: InputAction, now: Double, _ out: inout [SessionAction]) {
        guard !misusedOver("input") else { return }
        switch action {
        case .send(let payload):
            sendInput(payload, now: now, &out)
        case .ping(let data):
            if connection.sendPing(data) {
                keepalive.sent(data, now: now)
                out.append(.emit(Event(.ping(ControlFrameReport(direction: .out, data: data)))))
            }
        case .pong(let data):
            if connection.sendPong(data) {
                out.append(.emit(Event(.pong(ControlFrameReport(direction: .out, data: data)))))
            }
        case .app(let command):
            appCommand(command, now: now, &out)
        case .close(let code, let reason):
            beginClose(
                code ?? script.closeCode,
                code == nil ? script.closeReason : reason,
                end: .finished,
                now: now,
                &out
            )
        case .refreshAndReconnect, .reconnect:
            afterEnd = .personAsked(action)
            beginClose(.goingAway, "reconnecting", end: .finished, now: now, &out)
        case .endOfInput:
            inputOpen = false
            startQuietPeriodIfDue(now: now)
        }
        checkTimers(now: now, &out)
        flush(&out)
    }

    mutating func timerFired(now: Double, _ out: inout [SessionAction]) {
        guard !misusedOver("timerFired") else { return }
        checkTimers(now: now, &out)
        flush(&out)
    }

    // MARK: Frames

    private mutating func handle(_ events: [ConnectionEvent], coreOpen: Bool, now: Double, _ out: inout [SessionAction])
    {
        // The core answers a ping by itself while it is open (RFC 6455 §5.5.2).
        var answersPings = coreOpen
        // Mostly one action per event: one allocation for the step rather than a doubling per
        // power of two of a read's messages.
        out.reserveCapacity(out.count + events.count)
        for event in events where !isOver {
            switch event {
            case .text(let text): dataMessage(.text(text), now: now, &out)
            case .binary(let bytes): dataMessage(.binary(bytes), now: now, &out)
            case .ping(let data):
                out.append(.emit(Event(.ping(ControlFrameReport(direction: .in, data: data)))))
                if answersPings { out.append(.emit(Event(.pong(ControlFrameReport(direction: .out, data: data))))) }
            case .pong(let data):
                let rtt = keepalive.answered(data, now: now)
                out.append(.emit(Event(.pong(ControlFrameReport(direction: .in, data: data, rttMs: rtt)))))
            case .closeReceived(let code, let reason):
                answersPings = false
                closeReceived(code: code, reason: reason, &out)
            case .protocolViolation(let violation):
                answersPings = false
                // Once the peer broke the framing its bytes cannot be trusted: drop the
                // connection after our close goes out (RFC 6455 §7.1.7).
                emit(
                    ending.abort(
                        .violation(violation),
                        code: violation.closeCode.rawValue,
                        reason: violation.description
                    ),
                    &out
                )
            }
        }
    }

    private mutating func dataMessage(_ payload: MessagePayload, now: Double, _ out: inout [SessionAction]) {
        quiet?.heardFromServer(now: now)
        if hasApp {
            out.append(.receivedFrame(payload))
            apply(app?.receive(payload, now: now) ?? [], now: now, &out)
            return
        }
        out.append(.received(payload))
        if case .text(let text) = payload { counted(text, now: now, &out) } else { counted(nil, now: now, &out) }
    }

    /// A message for the person counts for `--count` (unless it is an answer, like a
    /// Socket.IO ACK) and, with text, for `--expect`.
    mutating func counted(_ text: String?, counts: Bool = true, now: Double, _ out: inout [SessionAction]) {
        progress.record(text, counts: counts, script: script)
        if progress.isSatisfied(by: script) {
            beginClose(script.closeCode, script.closeReason, end: .finished, now: now, &out)
        }
    }

    private mutating func closeReceived(code: CloseCode?, reason: String, _ out: inout [SessionAction]) {
        var report = ending.received(code: code, reason: reason, ourCode: connection.sentCloseCode)
        // The server's close overtook ours after the app's reasoned end (an MQTT
        // DISCONNECT then close, in one read): the app's reason is why it closed.
        if case .ended(_, let appCloseReason?, _) = appStage, report?.initiator == .server {
            report?.reason = appCloseReason
        }
        emit(report, &out)
        judgeAppClose(&out)
    }

    /// The session leaves a connection in the step that ended it, so an event for
    /// one that is over is the driver's bug: reported, and true.
    func misusedOver(_ event: String) -> Bool {
        guard isOver else { return false }
        misuse.report(ProtocolMisuse(machine: "ConnectionMachine", event: event, state: "over"))
        return true
    }
}
