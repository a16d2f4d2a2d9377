#if canImport(Glibc)
import Glibc
#endif

/// Drives one open WebSocket with `poll(2)` over the socket, stdin and timers:
/// the single event loop of design.md. Returns how the connection ended.
public final class ConnectionLoop {
    private let socket: OpenSocket
    private let script: SessionScript
    private let output: SessionOutput
    private let authMessage: String?
    private let redactor: Redactor
    private var progress: ScriptProgress
    /// `-m/--max-time`, from the start of the command.
    private let overallDeadline: Deadline
    /// `--timeout`, from the first handshake: it spans reconnects.
    private let timeoutDeadline: Deadline

    private let input: SessionInput?
    /// False once input has ended (pipe mode's end of stdin) or when there is none.
    private var inputOpen: Bool
    private var nextTick: Deadline = .never
    private var readBuffer = [UInt8](repeating: 0, count: 256 * 1024)
    private var closeDeadline: Deadline = .never
    private var end: SessionEnd?
    private var nextPing: Deadline = .never
    private var pingsInFlight: [[UInt8]: Double] = [:]
    private var closeReceived: (code: UInt16?, reason: String)?
    private var withinDeadline: Deadline = .never

    /// How long we wait for the server to answer our close (cli.md: at most 5 s).
    static let closeWait = 5.0
    /// At the end of stdin, how long the server must have been quiet before we
    /// close: a server stops sending once it sees our close (RFC 6455 §5.5.1), so
    /// closing at once would lose the answers to the last lines sent.
    static let quietPeriod = 0.5
    /// A pong may take this long even with a short `--ping-interval`.
    static let minimumPongWait = 2.0
    private var quietDeadline: Deadline?
    /// Whether this connection sent any data message (the linger is for their answers).
    private var sentData = false
    private lazy var lingerLimit: Deadline = .after(seconds: ConnectionLoop.closeWait)

    public init(socket: OpenSocket, script: SessionScript, progress: ScriptProgress, authMessage: String?,
                output: SessionOutput, redactor: Redactor, deadline: Deadline, timeout: Deadline, input: SessionInput?) {
        self.socket = socket
        self.script = script
        self.progress = progress
        self.authMessage = authMessage
        self.output = output
        self.redactor = redactor
        self.overallDeadline = deadline
        self.timeoutDeadline = timeout
        self.input = input
        self.inputOpen = input?.fileDescriptor != nil
    }

    public var finalProgress: ScriptProgress { progress }
    /// Set when the person asked for a reconnect (`/refresh`, `/reconnect`).
    public private(set) var requestedReconnect: InputAction?

    public func run() throws(Failure) -> SessionEnd {
        if let within = script.within { withinDeadline = .after(within) }
        if let interval = script.pingInterval, interval.seconds > 0 { nextPing = .after(interval) }
        if let authMessage {
            send(.text(authMessage), carriesCredential: true)
        }
        while progress.nextSend < script.sends.count {
            send(script.sends[progress.nextSend], carriesCredential: false)
            progress.nextSend += 1
        }
        if !socket.pendingInput.isEmpty {
            let early = socket.pendingInput
            socket.pendingInput = []
            handle(socket.connection.receive(early))
        }
        while true {
            try flushOutbound()
            if let end = finishedState() { return end }
            if !inputOpen, !script.isScripted, socket.connection.state == .open {
                // Nothing sent, nothing to wait for (a probe): close at once.
                let quiet = quietDeadline ?? .after(seconds: sentData ? ConnectionLoop.quietPeriod : 0)
                quietDeadline = quiet
                if quiet.hasPassed || lingerLimit.hasPassed {
                    beginClose(script.closeCode, script.closeReason)
                    continue
                }
            }
            try drainSocket()
            // Flush before deciding: the echo of the server's close must go out.
            try flushOutbound()
            if let end = finishedState() { return end }
            output.flush()
            if checkTimers() { continue }

            var entries = [pollfd(fd: socket.stream.socket, events: Int16(POLLIN), revents: 0)]
            let inputFD = inputOpen ? input?.fileDescriptor : nil
            if let inputFD { entries.append(pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0)) }
            if let interval = input?.tickInterval, nextTick == .never { nextTick = .after(seconds: interval) }
            let wake = Deadline.earliest(overallDeadline, closeDeadline, nextPing, withinDeadline, timeoutDeadline,
                                         quietDeadline ?? .never, nextTick)
            try Poller.poll(&entries, deadline: wake)
            if entries.count > 1, entries[1].revents != 0, let input {
                for action in input.readAvailable() { perform(action) }
            }
            if nextTick.hasPassed, let input {
                input.tick()
                nextTick = .never
            }
        }
    }


    /// Returns true when a timer fired and the loop should go round again.
    private func checkTimers() -> Bool {
        if overallDeadline.hasPassed || timeoutDeadline.hasPassed {
            let what = overallDeadline.hasPassed ? "-m/--max-time" : "--timeout"
            end = .timedOut("timed out (\(what)) \(pendingDescription())")
            if socket.connection.state == .open { beginClose(.normalClosure, "") }
            return true
        }
        if withinDeadline.hasPassed, script.expectClose != nil {
            end = .timedOut("the server did not close within \(script.within!) (--expect-close)")
            if socket.connection.state == .open { beginClose(.normalClosure, "") }
            return true
        }
        if closeDeadline.hasPassed {
            // The server never answered our close: give up on the close handshake.
            end = end ?? .finished
            closeDeadline = .never
            forceEnd = true
            return true
        }
        if let interval = script.pingInterval, let oldest = pingsInFlight.values.min(),
           Clock.now() - oldest > max(interval.seconds, ConnectionLoop.minimumPongWait), end == nil {
            // Keepalive: a peer that answers no ping is dead even if TCP has not noticed.
            end = .dropped("no pong within \(TimeSpan.format(seconds: max(interval.seconds, ConnectionLoop.minimumPongWait))) of a ping: the peer is unresponsive")
            reportClose(code: CloseCode.abnormalClosure.rawValue, reason: "pong timeout", initiator: .client)
            forceEnd = true
            return true
        }
        if nextPing.hasPassed, let interval = script.pingInterval {
            sendPing()
            nextPing = .after(interval)
            return true
        }
        return false
    }

    private var forceEnd = false

    /// What the loop is still waiting for, for the timeout message.
    private func pendingDescription() -> String {
        if progress.nextExpectation < script.expectations.count {
            return "waiting for a message matching --expect '\(script.expectations[progress.nextExpectation].pattern)'"
        }
        if let count = script.count, progress.received < count {
            return "after \(progress.received) of \(count) messages (--count)"
        }
        if let codes = script.expectClose {
            return "waiting for the server to close with \(codes.sorted().map(String.init).joined(separator: ","))"
        }
        return "waiting for the connection to finish"
    }

    private func finishedState() -> SessionEnd? {
        guard forceEnd || socket.connection.state == .closed else { return nil }
        if let end { return end }
        if let closeReceived, !clientInitiated {
            return .serverClosed(code: closeReceived.code, reason: closeReceived.reason)
        }
        return .finished
    }

    /// True once we sent the first close frame (ours, not an echo of the server's).
    private var clientInitiated = false
    private var sentReason = ""

    private func beginClose(_ code: CloseCode, _ reason: String) {
        guard socket.connection.state == .open else { return }
        clientInitiated = true
        sentReason = reason
        socket.connection.close(code: code, reason: reason)
        closeDeadline = .after(seconds: ConnectionLoop.closeWait)
    }

    private var closeReported = false

    /// One `close` event per connection: the first close that settles it.
    private func reportClose(code: UInt16, reason: String, initiator: Initiator) {
        guard !closeReported else { return }
        closeReported = true
        let closeCode = CloseCode(rawValue: code)
        output.emit(Event(.close(CloseReport(
            code: code, reason: reason, initiator: initiator.rawValue, meaning: closeCode.meaning,
            auth: script.authCloseCodes.contains(code)))))
    }

    private func send(_ payload: MessagePayload, carriesCredential: Bool) {
        guard socket.connection.state == .open else { return }
        sentData = true
        switch payload {
        case .text(let text): socket.connection.sendText(text)
        case .binary(let bytes): socket.connection.sendBinary(bytes)
        }
        output.emit(Event(.sent(MessageReport(payload: payload, carriesCredential: carriesCredential))))
    }

    private func sendPing() {
        guard socket.connection.state == .open else { return }
        let payload = Array("wsauth-\(Int(Clock.now() * 1000) % 1_000_000_000)".utf8)
        pingsInFlight[payload] = Clock.now()
        socket.connection.sendPing(payload)
        output.emit(Event(.ping(ControlFrameReport(direction: .out, data: payload))))
    }

    private func flushOutbound() throws(Failure) {
        guard socket.connection.hasOutbound else { return }
        let bytes = socket.connection.takeOutbound()
        do {
            try socket.stream.write(bytes, deadline: .earliest(overallDeadline, .after(seconds: 30)))
        } catch where error.kind == .network {
            // The peer is gone; what ends the session is what we read (or did not).
            if end == nil, closeReceived == nil { end = .dropped(error.message) }
            forceEnd = true
        }
    }

    /// Reads until libcurl has nothing more (TLS may hold bytes the socket no longer shows).
    private func drainSocket() throws(Failure) {
        while !forceEnd {
            let result: CurlStream.ReadResult
            do {
                result = try socket.stream.read(into: &readBuffer)
            } catch {
                if closeReceived == nil, end == nil { end = .dropped(error.message) }
                forceEnd = true
                return
            }
            switch result {
            case .wouldBlock:
                return
            case .closed:
                if closeReceived == nil, end == nil {
                    end = .dropped("the server closed the TCP connection without a close frame (1006)")
                    reportClose(code: CloseCode.abnormalClosure.rawValue, reason: "", initiator: .server)
                }
                forceEnd = true
                return
            case .data(let count):
                let events = readBuffer.withUnsafeBytes { bytes in
                    socket.connection.receive(UnsafeRawBufferPointer(rebasing: bytes[0..<count]))
                }
                handle(events)
            }
        }
    }

    private func handle(_ events: [ConnectionEvent]) {
        for event in events {
            switch event {
            case .text(let text):
                received(.text(text))
                if progress.nextExpectation < script.expectations.count,
                   script.expectations[progress.nextExpectation].matches(text) {
                    progress.nextExpectation += 1
                }
                checkScriptSatisfied()
            case .binary(let bytes):
                received(.binary(bytes))
                checkScriptSatisfied()
            case .ping(let data):
                output.emit(Event(.ping(ControlFrameReport(direction: .in, data: data))))
            case .pong(let data):
                let rtt = pingsInFlight.removeValue(forKey: data).map { (Clock.now() - $0) * 1000 }
                output.emit(Event(.pong(ControlFrameReport(direction: .in, data: data, rttMs: rtt))))
            case .closeReceived(let code, let reason):
                closeReceived = (code?.rawValue, reason)
                if clientInitiated, let sent = socket.connection.sentCloseCode {
                    reportClose(code: sent.rawValue, reason: sentReason, initiator: .client)
                } else {
                    reportClose(code: code?.rawValue ?? CloseCode.noStatusReceived.rawValue, reason: reason, initiator: .server)
                }
            case .protocolViolation(let violation):
                if end == nil { end = .violation(violation) }
                clientInitiated = true
                reportClose(code: violation.closeCode.rawValue, reason: violation.description, initiator: .client)
                // After our close goes out, drop the connection: once the peer broke
                // the framing its bytes cannot be trusted (RFC 6455 §7.1.7).
                forceEnd = true
            }
        }
    }

    private func received(_ payload: MessagePayload) {
        if quietDeadline != nil { quietDeadline = .after(seconds: ConnectionLoop.quietPeriod) }
        progress.received += 1
        output.received(payload)
    }

    private func checkScriptSatisfied() {
        if progress.isSatisfied(by: script), socket.connection.state == .open {
            end = .finished
            beginClose(script.closeCode, script.closeReason)
        }
    }

    private func perform(_ action: InputAction) {
        switch action {
        case .send(let payload):
            send(payload, carriesCredential: false)
        case .ping(let data):
            pingsInFlight[data] = Clock.now()
            socket.connection.sendPing(data)
            output.emit(Event(.ping(ControlFrameReport(direction: .out, data: data))))
        case .pong(let data):
            socket.connection.sendPong(data)
            output.emit(Event(.pong(ControlFrameReport(direction: .out, data: data))))
        case .close(let code, let reason):
            if let code { beginClose(code, reason) } else { beginClose(script.closeCode, script.closeReason) }
        case .refreshAndReconnect, .reconnect:
            requestedReconnect = action
            end = .finished
            beginClose(.goingAway, "reconnecting")
        case .endOfInput:
            inputOpen = false
        }
    }
}

