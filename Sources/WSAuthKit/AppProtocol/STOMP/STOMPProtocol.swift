/// STOMP 1.2 over WebSocket (Spring's broker relay, RabbitMQ Web-STOMP, ActiveMQ)
/// as an `AppSession` (docs/protocols.md, `stomp`).
///
/// We speak first: CONNECT with `accept-version`, `host`, `heart-beat` and the
/// credentials; CONNECTED is the app-level success, an ERROR before it a
/// rejection. Then `--subscribe` destinations are subscribed (after a reconnect,
/// every subscription the previous connection had, with its id: `takeOver`), lines go to
/// `--destination` as SEND, MESSAGE bodies are delivered, heart-beats are kept
/// both ways as negotiated (STOMP 1.2 "Heart-beating"), and leaving sends
/// DISCONNECT with a receipt.
public struct STOMPProtocol: AppSession {
    /// STOMP 1.2 "Heart-beating" leaves the tolerance to us; stomp.js waits two intervals.
    static let silenceMargin = 2.0
    static let disconnectReceipt = "wsauth-disconnect"

    /// The versions we speak, as subprotocols (STOMP 1.2 "Connecting").
    public static let offered = ["v12.stomp", "v11.stomp", "v10.stomp"]

    public let name = "stomp"
    public let subprotocols = STOMPProtocol.offered

    enum Phase: Sendable {
        /// CONNECT is out (once started): CONNECTED is due by `deadline`. `queued`: lines
        /// given meanwhile, sent once it comes (stomp.js waits for `onConnect` too).
        case connecting(deadline: Double?, queued: [String])
        case connected(HeartBeat)
        /// DISCONNECT is out and its RECEIPT may still come; the heart-beats have stopped.
        case disconnecting
        case ended
    }

    /// Negotiated intervals in seconds; 0 is none (STOMP 1.2 "Heart-beating").
    struct HeartBeat: Sendable {
        var sendEvery = 0.0, expectEvery = 0.0
    }

    let settings: STOMPSettings
    let token: Secret?
    var phase = Phase.connecting(deadline: nil, queued: [])
    var lastSent = 0.0, lastHeard = 0.0
    /// What the session subscribes on every CONNECTED: the `--subscribe`s, then the
    /// REPL's `/subscribe`s, less those `/complete` ended.
    var subscriptions: [(id: String, destination: String)]
    var nextSubscription: Int

    public init(_ settings: STOMPSettings, token: Secret?) {
        self.settings = settings
        self.token = token
        subscriptions = settings.subscriptions.enumerated().map { ("sub-\($0.offset)", $0.element) }
        nextSubscription = subscriptions.count
    }

    /// A reconnect subscribes what the previous connection had, with the same ids, so
    /// that `/complete ID` still names them (docs/protocols.md, `stomp`).
    public mutating func takeOver(from previous: any AppSession) {
        guard let previous = previous as? STOMPProtocol else { return }
        subscriptions = previous.subscriptions
        nextSubscription = previous.nextSubscription
    }

    /// CONNECTED came: the session is open, also while it says goodbye.
    var isConnected: Bool {
        switch phase {
        case .connected, .disconnecting: true
        case .connecting, .ended: false
        }
    }

    var hasEnded: Bool {
        if case .ended = phase { true } else { false }
    }

    public var nextDeadline: Double? {
        switch phase {
        case .connecting(let deadline, _):
            return deadline
        case .connected(let beat):
            let candidates = [
                beat.sendEvery > 0 ? lastSent + beat.sendEvery : nil,
                beat.expectEvery > 0 ? lastHeard + beat.expectEvery * Self.silenceMargin : nil,
            ]
            return candidates.compactMap { $0 }.min()
        case .disconnecting, .ended:
            return nil
        }
    }

    public mutating func start(now: Double) -> [AppAction] {
        phase = .connecting(deadline: now + settings.handshakeTimeout, queued: [])
        let credentials = settings.credentialHeaders(token: token)
        let frame = STOMPFrame(
            "CONNECT",
            [
                .init("accept-version", "1.0,1.1,1.2"), .init("host", settings.host),
                .init("heart-beat", "\(settings.heartBeat),\(settings.heartBeat)"),
            ] + credentials
        )
        return [transmit(frame, now: now, carriesCredential: !credentials.isEmpty)]
    }

    public mutating func timerFired(now: Double) -> [AppAction] {
        switch phase {
        case .connecting(let deadline?, _) where now >= deadline:
            phase = .ended
            return [.timedOut("no CONNECTED within \(JSONValue.format(number: settings.handshakeTimeout)) s")]
        case .connected(let beat):
            return heartBeat(beat, now: now)
        case .connecting, .disconnecting, .ended:
            return []
        }
    }

    private mutating func heartBeat(_ beat: HeartBeat, now: Double) -> [AppAction] {
        if beat.expectEvery > 0, now >= lastHeard + beat.expectEvery * Self.silenceMargin {
            phase = .ended
            let silent = JSONValue.format(number: now - lastHeard)
            let every = JSONValue.format(number: beat.expectEvery)
            return [.timedOut("the server sent no heart-beat for \(silent) s (negotiated every \(every) s)")]
        }
        guard beat.sendEvery > 0, now >= lastSent + beat.sendEvery else { return [] }
        lastSent = now
        return [.transmit(.text("\n"), carriesCredential: false), .keepalive(AppKeepalive(.ping, .out))]
    }

    public mutating func receive(_ message: MessagePayload, now: Double) -> [AppAction] {
        guard !hasEnded else { return [] }
        let bytes: [UInt8] =
            switch message {
            case .text(let text): Array(text.utf8)
            case .binary(let bytes): bytes
            }
        let items: [STOMPItem]
        do {
            items = try STOMPParser.parse(bytes)
        } catch {
            phase = .ended
            return [.violation("STOMP: \(error.message)")]
        }
        lastHeard = now
        var actions: [AppAction] = []
        for item in items where !hasEnded {
            switch item {
            case .heartBeat: actions.append(.keepalive(AppKeepalive(.ping, .in)))
            case .frame(let frame): actions += isConnected ? received(frame) : answer(frame, now: now)
            }
        }
        return actions
    }

    public mutating func send(_ line: String, now: Double) -> [AppAction] {
        switch phase {
        case .ended:
            return [.notice("not sent: the STOMP session has ended")]
        case .connecting(let deadline, var queued):
            queued.append(line)
            phase = .connecting(deadline: deadline, queued: queued)
            return []
        case .connected, .disconnecting:
            break
        }
        guard let destination = settings.destination else {
            return [.notice("no --destination: a line goes to a STOMP destination as SEND; not sent")]
        }
        let frame = STOMPFrame(
            "SEND",
            [.init("destination", destination), .init("content-type", "text/plain")],
            body: Array(line.utf8)
        )
        return [transmit(frame, now: now)]
    }

    public mutating func command(_ command: AppCommand, now: Double) -> [AppAction] {
        guard isConnected else { return [.notice("STOMP is not connected yet")] }
        switch command {
        case .subscribe(let destination):
            let (id, action) = subscribe(destination, now: now)
            return [action, .notice("subscribed to \(destination) as \(id)")]
        case .complete(let id):
            guard let index = subscriptions.firstIndex(where: { $0.id == id }) else {
                let known = subscriptions.map(\.id).joined(separator: ", ")
                return [.notice("no subscription \(id)\(known.isEmpty ? "" : " (subscriptions: \(known))")")]
            }
            subscriptions.remove(at: index)
            return [transmit(STOMPFrame("UNSUBSCRIBE", [.init("id", id)]), now: now)]
        }
    }

    /// STOMP 1.2 "DISCONNECT": a receipt asks the server to confirm it has seen
    /// every frame we sent; the WebSocket close follows it.
    public mutating func finish(now: Double) -> [AppAction] {
        guard case .connected = phase else { return [] }
        phase = .disconnecting
        return [transmit(STOMPFrame("DISCONNECT", [.init("receipt", Self.disconnectReceipt)]), now: now)]
    }

    // MARK: Frames

    private mutating func transmit(_ frame: STOMPFrame, now: Double, carriesCredential: Bool = false) -> AppAction {
        lastSent = now
        return .transmit(.text(String(decoding: frame.encoded(), as: UTF8.self)), carriesCredential: carriesCredential)
    }

    private mutating func subscribe(_ destination: String, now: Double) -> (String, AppAction) {
        let id = "sub-\(nextSubscription)"
        nextSubscription += 1
        subscriptions.append((id, destination))
        return (id, subscribeFrame(id: id, destination: destination, now: now))
    }

    private mutating func subscribeFrame(id: String, destination: String, now: Double) -> AppAction {
        let frame = STOMPFrame("SUBSCRIBE", [.init("id", id), .init("destination", destination), .init("ack", "auto")])
        return transmit(frame, now: now)
    }

    /// The answer to CONNECT: CONNECTED or ERROR (STOMP 1.2 "Connecting").
    private mutating func answer(_ frame: STOMPFrame, now: Double) -> [AppAction] {
        switch frame.command {
        case "CONNECTED":
            let queued = if case .connecting(_, let queued) = phase { queued } else { [String]() }
            phase = .connected(negotiateHeartBeat(frame["heart-beat"]))
            let wanted = subscriptions
            var actions = wanted.map { subscribeFrame(id: $0.id, destination: $0.destination, now: now) }
            let details = [
                ("version", frame["version"] ?? "1.0"), ("server", frame["server"]),
                ("heart-beat", frame["heart-beat"]), ("session", frame["session"]),
            ]
            .compactMap { name, value in value.map { (name: name, value: $0) } }
            actions.append(.accepted(AppHandshake(app: name, details: details)))
            for line in queued { actions += send(line, now: now) }
            return actions
        case "ERROR":
            phase = .ended
            return [.rejected(message: Self.describe(error: frame))]
        default:
            phase = .ended
            return [.violation("STOMP: \(frame.command.prefix(40)) before CONNECTED (expected CONNECTED or ERROR)")]
        }
    }

    private mutating func received(_ frame: STOMPFrame) -> [AppAction] {
        switch frame.command {
        case "MESSAGE":
            let headers = JSONValue.object(frame.headers.map { ($0.name, .string($0.value)) })
            let text = String(decoding: frame.body, as: UTF8.self)
            return [.deliver(AppMessage(text: text, label: frame["destination"], fields: ["headers": headers]))]
        case "RECEIPT":
            if frame["receipt-id"] == Self.disconnectReceipt { return [.closeWebSocket] }
            return [.notice("STOMP receipt \(frame["receipt-id"] ?? "?")")]
        case "ERROR":
            phase = .ended
            return [.serverEnded(reason: Self.describe(error: frame))]
        case "CONNECTED":
            phase = .ended
            return [.violation("STOMP: a second CONNECTED")]
        default:
            return [.notice("STOMP: unexpected \(frame.command.prefix(40)) frame from the server")]
        }
    }

    /// STOMP 1.2 "Heart-beating": each side sends at the larger of what it can
    /// and what the other wants; 0 on either side means none that way.
    private func negotiateHeartBeat(_ header: String?) -> HeartBeat {
        let parts = (header ?? "0,0").split(separator: ",").map { Int($0.trimmingSpaces()) ?? 0 }
        let (serverSends, serverWants) = parts.count == 2 ? (parts[0], parts[1]) : (0, 0)
        let ours = settings.heartBeat
        return HeartBeat(
            sendEvery: ours > 0 && serverWants > 0 ? Double(max(ours, serverWants)) / 1000 : 0,
            expectEvery: ours > 0 && serverSends > 0 ? Double(max(ours, serverSends)) / 1000 : 0
        )
    }

    /// The ERROR's `message` header and its body, on one line.
    static func describe(error frame: STOMPFrame) -> String {
        let body = String(decoding: frame.body, as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " ")
        let parts = [frame["message"], body.isEmpty ? nil : body].compactMap { $0 }
        return parts.isEmpty ? "ERROR without a message" : parts.joined(separator: ": ")
    }
}
