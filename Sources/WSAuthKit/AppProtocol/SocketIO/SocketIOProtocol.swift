/// Socket.IO v4 over Engine.IO v4 on the WebSocket transport, as an
/// `AppSession` (docs/protocols.md, `socketio`).
///
/// The server speaks first (the Engine.IO open packet); we answer with CONNECT
/// for the namespace carrying the auth payload, and the server answers
/// `40{"sid"}` (accepted) or CONNECT_ERROR `44{"message"}` (rejected). The
/// server pings (`2`), we pong (`3`); a server silent past
/// `pingInterval + pingTimeout` is dead (engine.io-client's `resetPingTimeout`).
public struct SocketIOProtocol: AppSession {
    public let name = "socketio"
    public let subprotocols: [String] = []

    let namespace: String
    /// The filled CONNECT payload (a JSON object), nil to send none.
    let auth: String?
    let handshakeTimeout: Double
    /// `--ack`: emits carry an acknowledgement id.
    let asksAck: Bool

    enum Phase: Equatable { case awaitingOpen, awaitingConnect, connected, ended }
    var phase = Phase.awaitingOpen
    var open: EngineIOOpen?
    var heartbeatDeadline: Double?
    var handshakeDeadline: Double?
    /// Lines sent before the CONNECT answer, emitted once it comes (the client's `sendBuffer`).
    var queuedLines: [String] = []
    /// Events that overtook the CONNECT answer (python-socketio sends what the
    /// `connect` handler emits first), delivered after it (the client's `receiveBuffer`).
    var earlyEvents: [AppMessage] = []
    /// A binary packet whose attachments are still arriving.
    var assembling: (packet: SocketIOPacket, sizes: [Int])?
    var nextAckID = 0
    var awaitedAcks: Set<Int> = []

    /// One connection's protocol, with the then-current token (nil when the
    /// token travels in a header or cookie, or there is none: then a template
    /// that needs one sends CONNECT without a payload).
    public init(_ settings: SocketIOSettings, token: Secret?) {
        namespace = settings.namespace
        handshakeTimeout = settings.handshakeTimeout
        asksAck = settings.ack
        if let token {
            auth = TokenPresentation.fillJSON(settings.authTemplate, token: token.reveal())
        } else {
            auth = settings.authTemplate.contains("{token}") ? nil : settings.authTemplate
        }
    }

    /// Nil once the session has ended, so that a passed deadline cannot keep waking the loop.
    public var nextDeadline: Double? {
        guard phase != .ended else { return nil }
        return [heartbeatDeadline, handshakeDeadline].compactMap { $0 }.min()
    }

    public mutating func start(now: Double) -> [AppAction] {
        handshakeDeadline = now + handshakeTimeout
        return []
    }

    public mutating func timerFired(now: Double) -> [AppAction] {
        guard phase != .ended else { return [] }
        if let deadline = heartbeatDeadline, now >= deadline, let open {
            phase = .ended
            return [
                .timedOut(
                    "no Engine.IO ping from the server in pingInterval + pingTimeout (\(open.pingInterval + open.pingTimeout) ms)"
                )
            ]
        }
        if let deadline = handshakeDeadline, now >= deadline {
            phase = .ended
            let waitingFor = open == nil ? "the Engine.IO open packet" : "the answer to Socket.IO CONNECT"
            return [.timedOut("no \(waitingFor) within \(JSONValue.format(number: handshakeTimeout)) s")]
        }
        return []
    }

    public mutating func send(_ line: String, now: Double) -> [AppAction] {
        switch phase {
        case .awaitingOpen, .awaitingConnect:
            queuedLines.append(line)
            return []
        case .ended:
            return [.notice("not sent: the Socket.IO session has ended")]
        case .connected:
            return emit(line)
        }
    }

    public mutating func finish(now: Double) -> [AppAction] {
        defer { phase = .ended }
        switch phase {
        case .awaitingConnect, .connected:
            return [transmit(SocketIOPacket(kind: .disconnect, namespace: namespace)), .closeWebSocket]
        case .awaitingOpen, .ended:
            return [.closeWebSocket]
        }
    }

    /// A line that is a JSON array `["event", args…]` becomes EVENT `42`; with
    /// `--ack` it carries an acknowledgement id so that the server's answer (if
    /// its handler returns one) can be shown. Without, no id: a server handler
    /// that takes a callback would otherwise answer every emit.
    mutating func emit(_ line: String) -> [AppAction] {
        guard case .array(let items)? = try? JSONValue.parse(line), let first = items.first,
            case .string(let event) = first, !SocketIOPacket.reservedEvents.contains(event)
        else {
            return [.notice(#"not sent: Socket.IO sends events, a JSON array like ["event", {"some":"data"}]"#)]
        }
        let packet = SocketIOPacket(
            kind: .event,
            namespace: namespace,
            id: asksAck ? nextAckID : nil,
            payload: .array(items)
        )
        let text = EngineIOPacket.message(packet.encoded).encoded
        if let max = open?.maxPayload, text.utf8.count > max {
            return [.notice("not sent: \(text.utf8.count) bytes is more than the server's maxPayload (\(max))")]
        }
        if asksAck {
            awaitedAcks.insert(nextAckID)
            nextAckID += 1
        }
        return [.transmit(.text(text), carriesCredential: false)]
    }

    func transmit(_ packet: SocketIOPacket) -> AppAction {
        .transmit(.text(EngineIOPacket.message(packet.encoded).encoded), carriesCredential: false)
    }
}
