@testable import WSAuthKit

/// A session machine under a fake clock: no sockets, no sleeps. It plays the
/// driver's part and keeps every action the machine asked for.
struct SessionHarness {
    var machine: SessionMachine
    var now = 0.0
    /// Every action so far, in order.
    var log: [SessionAction] = []

    init(
        _ script: SessionScript = SessionScript(),
        reconnect: Int? = nil,
        canRefresh: Bool = false,
        hasInput: Bool = false,
        maxTime: Double? = nil,
        app: AppSessionFactory? = nil,
        token: String? = "first",
        misuse: MisuseReporter = MisuseLog.unexpected
    ) {
        var configuration = SessionConfiguration(
            script: script,
            reconnect: reconnect.map { ReconnectPolicy(maxRetries: $0) },
            canRefresh: canRefresh,
            hasInput: hasInput,
            maxTime: maxTime.map { TimeSpan(seconds: $0) },
            app: app
        )
        configuration.jitter = { 1.0 }
        machine = SessionMachine(configuration: configuration, token: token.map(Secret.init), now: 0, misuse: misuse)
        log = machine.start()
    }

    static let report = HandshakeReport.switched(url: "ws://127.0.0.1:9/", requestLine: "GET / HTTP/1.1")

    mutating func record(_ actions: [SessionAction]) { log += actions }

    mutating func open(early: [UInt8] = [], authMessage: String? = nil) {
        record(
            machine.handshakeOpened(
                SessionHarness.report,
                connection: WebSocketConnection(),
                early: early,
                authMessage: authMessage,
                now: now
            )
        )
    }

    mutating func refuse(_ status: Int) {
        record(
            machine.handshakeRefused(
                RejectionReport(
                    url: "ws://127.0.0.1:9/",
                    status: status,
                    statusLine: "HTTP/1.1 \(status) No",
                    headers: [],
                    body: "",
                    wwwAuthenticate: nil
                ),
                now: now
            )
        )
    }

    mutating func connectFails(_ failure: Failure) { record(machine.connectFailed(failure, now: now)) }
    mutating func server(_ bytes: [UInt8]) { record(machine.receive(bytes, now: now)) }
    mutating func serverText(_ text: String) { server(serverFrame(.text, Array(text.utf8))) }
    mutating func serverClose(_ code: UInt16?, _ reason: String = "") {
        server(serverFrame(.close, code.map { closeBody($0, reason) } ?? []))
    }
    mutating func eof() { record(machine.transportEnded(now: now)) }
    mutating func input(_ action: InputAction) { record(machine.input(action, now: now)) }
    mutating func at(_ time: Double) {
        now = time
        record(machine.timerFired(now: now))
    }
    mutating func refreshed(_ token: String?) { record(machine.refreshed(token.map(Secret.init), now: now)) }
    mutating func answered(_ answer: AppHTTPAnswer) { record(machine.answered(answer, now: now)) }
    mutating func person(_ choice: InputAction?) { record(machine.personChose(choice, now: now)) }

    /// Waits out a backoff the way the driver does: until the machine's deadline.
    mutating func waitOutBackoff() {
        guard let wake = machine.nextDeadline else { return }
        at(wake)
    }

    // MARK: What happened

    /// The session's verdict: nil while it runs, `.some(nil)` on success.
    var verdict: Failure?? {
        for case .finish(let failure) in log { return .some(failure) }
        return nil
    }

    var exitStatus: WSAuthKit.ExitStatus? {
        verdict.map { $0?.exitStatus ?? .success }
    }

    var connects: [String?] {
        var tokens: [String?] = []
        for case .connect(let token, _) in log { tokens.append(token?.reveal()) }
        return tokens
    }

    var appRequests: [AppHTTPRequest] {
        var requests: [AppHTTPRequest] = []
        for case .appRequest(let request) in log { requests.append(request) }
        return requests
    }

    var refreshes: Int { log.filter { if case .refresh = $0 { true } else { false } }.count }
    var asks: Int { log.filter { if case .askPerson = $0 { true } else { false } }.count }

    var events: [Event.Kind] {
        var kinds: [Event.Kind] = []
        for case .emit(let event) in log { kinds.append(event.kind) }
        return kinds
    }

    var reconnects: [ReconnectReport] {
        var found: [ReconnectReport] = []
        for case .reconnect(let report) in events { found.append(report) }
        return found
    }

    var closes: [CloseReport] {
        var found: [CloseReport] = []
        for case .close(let report) in events { found.append(report) }
        return found
    }

    var rejections: [RejectionReport] {
        var found: [RejectionReport] = []
        for case .rejected(let report) in events { found.append(report) }
        return found
    }

    var notes: [String] {
        var found: [String] = []
        for event in events {
            switch event {
            case .note(let note): found.append(note)
            case .appOpened(let app, let details):
                let told = details.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
                found.append("\(app) session open\(told.isEmpty ? "" : " (\(told))")")
            default: break
            }
        }
        return found
    }

    var pings: [ControlFrameReport] {
        var found: [ControlFrameReport] = []
        for case .ping(let report) in events { found.append(report) }
        return found
    }

    var pongs: [ControlFrameReport] {
        var found: [ControlFrameReport] = []
        for case .pong(let report) in events { found.append(report) }
        return found
    }

    var sent: [MessageReport] {
        var found: [MessageReport] = []
        for case .sent(let report) in events { found.append(report) }
        return found
    }

    var received: [String] {
        var texts: [String] = []
        for action in log {
            switch action {
            case .received(.text(let text)): texts.append(text)
            case .receivedApp(let message): texts.append(message.text)
            default: break
            }
        }
        return texts
    }

    /// `--app`: the data messages as received, before the protocol read them.
    var rawFrames: [MessagePayload] {
        var found: [MessagePayload] = []
        for case .receivedFrame(let payload) in log { found.append(payload) }
        return found
    }

    /// Every frame written, unmasked by a server-role decoder (which proves the masking).
    var written: [Frame] {
        var decoder = FrameDecoder(role: .server, maxFrameSize: 1 << 30)
        for case .write(let bytes) in log { decoder.append(bytes) }
        var frames: [Frame] = []
        while let frame = try? decoder.next() { frames.append(frame) }
        return frames
    }

    var writtenTexts: [String] {
        written.filter { $0.opcode == .text }.map { String(decoding: $0.payload, as: UTF8.self) }
    }

    /// The close codes we sent (1005 for a close without one).
    var sentCloses: [UInt16] {
        written.filter { $0.opcode == .close }.map {
            $0.payload.count >= 2 ? UInt16($0.payload[0]) << 8 | UInt16($0.payload[1]) : 1005
        }
    }

    /// Each `.endConnection` in order: whether the driver is to wait for the peer to close TCP.
    var connectionEnds: [Bool] {
        log.compactMap { action in
            if case .endConnection(let awaitingPeer) = action { awaitingPeer } else { nil }
        }
    }

    /// Whether every `.endConnection` comes after the writes before it (our close included).
    var endsFollowWrites: Bool {
        guard let end = log.firstIndex(where: { if case .endConnection = $0 { true } else { false } }) else {
            return false
        }
        return log[..<end].contains { if case .write = $0 { true } else { false } }
    }
}
