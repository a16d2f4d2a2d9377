/// MQTT 3.1.1 or 5.0 over WebSocket (Mosquitto, EMQX, HiveMQ, AWS IoT,
/// RabbitMQ's MQTT plugin) as an `AppSession` (docs/protocols.md, `mqtt`).
///
/// We speak first: CONNECT with the credentials; CONNACK accepted, then a
/// SUBACK for every `--subscribe`, is the app handshake. Lines are PUBLISHed to
/// `--destination`; received PUBLISH payloads are the messages. We keep the
/// connection alive with PINGREQ (§3.1.2.10) and a missing PINGRESP is a drop.
/// A 5.0 DISCONNECT from the server ends the session with its reason; with
/// `--reconnect`, 0x87, 0x8C, 0xA0 and a drop refresh and connect again, and
/// subscribe every topic the previous connection had (`takeOver`): our CONNECT asks
/// for a clean session, so the broker keeps none.
public struct MQTTProtocol: AppSession {
    public let name = "mqtt"
    /// MQTT 5.0 §6.0 / 3.1.1 §6.0: the WebSocket subprotocol is `mqtt`.
    public let subprotocols = ["mqtt"]

    let settings: MQTTSettings
    let token: Secret?
    let handshakeTimeout: Double
    var parser: MQTTParser

    enum Phase: Equatable {
        case connecting, subscribing, open
        /// `afterCONNACK`: the session had been established (see `established`).
        case ended(afterCONNACK: Bool)
    }
    var phase = Phase.connecting
    var handshakeDeadline: Double?
    /// When the next PINGREQ is due (a keepalive after the last packet we sent).
    var pingDue: Double?
    /// A PINGREQ is out and its PINGRESP must come by then.
    var pongDeadline: Double?
    var nextPacketID: UInt16 = 1
    /// SUBSCRIBE/UNSUBSCRIBE packets waiting for their answer, by packet id.
    var pendingSubscriptions: [UInt16: String] = [:]
    var pendingUnsubscriptions: [UInt16: String] = [:]
    /// What the session subscribes after every CONNACK: the `--subscribe`s, then the topics
    /// `/subscribe` added once SUBACKed, less those `/complete` ended.
    var topics: [String]
    /// Lines given before the handshake ended, published once it has.
    var queuedLines: [String] = []

    public init(
        _ settings: MQTTSettings,
        token: Secret?,
        handshakeTimeout: Double = MQTTSettings.defaultHandshakeTimeout
    ) {
        self.settings = settings
        self.token = token
        self.handshakeTimeout = handshakeTimeout
        parser = MQTTParser(version: settings.version)
        topics = settings.subscriptions
    }

    /// A reconnect subscribes what the previous connection had, REPL additions included
    /// (docs/protocols.md, `mqtt`).
    public mutating func takeOver(from previous: any AppSession) {
        if let previous = previous as? MQTTProtocol { topics = previous.topics }
    }

    var keepAlive: Double { Double(settings.keepAlive) }

    /// CONNACK accepted: from then on an end without DISCONNECT is a drop to refresh for.
    var established: Bool {
        switch phase {
        case .connecting: false
        case .subscribing, .open: true
        case .ended(let afterCONNACK): afterCONNACK
        }
    }

    var hasEnded: Bool {
        if case .ended = phase { true } else { false }
    }

    private mutating func end() {
        phase = .ended(afterCONNACK: established)
    }

    public var nextDeadline: Double? {
        guard !hasEnded else { return nil }
        return [handshakeDeadline, pingDue, pongDeadline].compactMap { $0 }.min()
    }

    public mutating func start(now: Double) -> [AppAction] {
        handshakeDeadline = now + handshakeTimeout
        let (user, password) = settings.credentials(token: token)
        let connect = MQTTEncoder.connect(
            .init(
                version: settings.version,
                clientID: settings.clientID,
                keepAlive: settings.keepAlive,
                user: user,
                password: password
            )
        )
        return [transmit(connect, now: now, credential: user != nil || password != nil)]
    }

    public mutating func timerFired(now: Double) -> [AppAction] {
        guard !hasEnded else { return [] }
        if let deadline = handshakeDeadline, now >= deadline {
            let waitingFor = phase == .connecting ? "CONNACK" : "SUBACK"
            end()
            return [.timedOut("no MQTT \(waitingFor) within \(JSONValue.format(number: handshakeTimeout)) s")]
        }
        if let deadline = pongDeadline, now >= deadline {
            end()
            return [.timedOut("no MQTT PINGRESP within the keepalive (\(settings.keepAlive) s) after PINGREQ")]
        }
        if let due = pingDue, now >= due, pongDeadline == nil {
            pongDeadline = now + keepAlive
            return [transmit(MQTTEncoder.pingreq, now: now), .keepalive(AppKeepalive(.ping, .out))]
        }
        return []
    }

    public mutating func receive(_ message: MessagePayload, now: Double) -> [AppAction] {
        guard !hasEnded else { return [] }
        guard case .binary(let bytes) = message else {
            end()
            return [.violation("a text message: MQTT over WebSocket is carried in binary messages (§6.0)")]
        }
        do {
            var actions: [AppAction] = []
            for packet in try parser.feed(bytes) where !hasEnded {
                actions += try handle(packet, now: now)
            }
            return actions
        } catch {
            end()
            return [.violation(error.detail)]
        }
    }

    private mutating func handle(_ packet: MQTTPacket, now: Double) throws(MQTTMalformed) -> [AppAction] {
        switch packet {
        case .connack(let sessionPresent, let code, let reason):
            guard phase == .connecting else { throw MQTTMalformed("a second CONNACK") }
            return connacked(code: code, reason: reason, sessionPresent: sessionPresent, now: now)
        case .suback(let id, let codes):
            guard let topic = pendingSubscriptions.removeValue(forKey: id) else {
                throw MQTTMalformed("a SUBACK for packet \(id), which we did not send")
            }
            if let refused = codes.first(where: { $0 >= 0x80 }) {
                end()
                return [
                    .rejected(
                        message:
                            "the subscription to \(topic) was refused: SUBACK \(MQTTReasonCode.describe(refused, version: .v5))"
                    )
                ]
            }
            if !topics.contains(topic) { topics.append(topic) }
            // During the handshake the accepted report lists them; afterwards (REPL) each is said.
            if phase == .subscribing { return pendingSubscriptions.isEmpty ? opened(now: now) : [] }
            return [.notice("subscribed to \(topic) (granted QoS \(codes[0]))")]
        case .unsuback(let id):
            guard let topic = pendingUnsubscriptions.removeValue(forKey: id) else {
                throw MQTTMalformed("an UNSUBACK for packet \(id), which we did not send")
            }
            return [.notice("unsubscribed from \(topic)")]
        case .publish(let topic, let qos, let id, let retain, let payload):
            guard phase == .open || phase == .subscribing else { throw MQTTMalformed("a PUBLISH before CONNACK") }
            var actions: [AppAction] = [.deliver(message(topic: topic, qos: qos, retain: retain, payload: payload))]
            if qos == 1, let id { actions.append(transmit(MQTTEncoder.puback(id: id), now: now)) }
            if qos == 2 {
                actions.append(
                    .notice("a QoS 2 PUBLISH on \(topic): wsauth asks for at most QoS 1 and does not complete it")
                )
            }
            return actions
        case .puback:
            return []
        case .pingresp:
            pongDeadline = nil
            return [.keepalive(AppKeepalive(.pong, .in))]
        case .disconnect(let code, let reason):
            end()
            let described = MQTTReasonCode.describe(code, version: .v5)
            let text = "DISCONNECT \(described)" + (reason.map { " (\($0))" } ?? "")
            return [
                .serverDisconnected(
                    reasonCode: described,
                    message: text,
                    outcome: MQTTReasonCode.disconnectOutcome(code)
                )
            ]
        }
    }

    private mutating func connacked(code: UInt8, reason: String?, sessionPresent: Bool, now: Double) -> [AppAction] {
        let described =
            "CONNACK \(MQTTReasonCode.describe(code, version: settings.version))" + (reason.map { " (\($0))" } ?? "")
        guard code == 0 else {
            end()
            if MQTTReasonCode.refusesCredentials(code, version: settings.version) {
                return [.rejected(message: described)]
            }
            return [.protocolError(described)]
        }
        guard !topics.isEmpty else { return opened(now: now) }
        phase = .subscribing
        let wanted = topics
        return wanted.map { subscribe($0, now: now) }
    }

    /// The handshake is over: accepted, and what waited for it goes out.
    private mutating func opened(now: Double) -> [AppAction] {
        phase = .open
        handshakeDeadline = nil
        var details = [
            (name: "version", value: settings.version.rawValue), (name: "client id", value: settings.clientID),
        ]
        if !topics.isEmpty {
            details.append((name: "subscribed", value: topics.joined(separator: ", ")))
        }
        var actions: [AppAction] = [.accepted(AppHandshake(app: name, details: details))]
        for line in queuedLines { actions += publish(line, now: now) }
        queuedLines = []
        return actions
    }

    /// A received PUBLISH: text when its payload is UTF-8, else binary (docs/protocols.md).
    private func message(topic: String, qos: UInt8, retain: Bool, payload: [UInt8]) -> AppMessage {
        var fields: [String: JSONValue] = ["topic": .string(topic)]
        if qos > 0 { fields["qos"] = .int(Int(qos)) }
        if retain { fields["retain"] = .bool(true) }
        guard let text = String(validating: payload, as: UTF8.self) else {
            return AppMessage(text: "binary \(payload.count) bytes", label: topic, fields: fields, bytes: payload)
        }
        return AppMessage(text: text, label: topic, fields: fields)
    }

    public mutating func send(_ line: String, now: Double) -> [AppAction] {
        switch phase {
        case .connecting, .subscribing:
            queuedLines.append(line)
            return []
        case .ended:
            return [.notice("not sent: the MQTT session has ended")]
        case .open:
            return publish(line, now: now)
        }
    }

    private mutating func publish(_ line: String, now: Double) -> [AppAction] {
        guard let topic = settings.destination else {
            return [.notice("not sent: --destination TOPIC says where lines are published")]
        }
        let id = settings.qos > 0 ? packetID() : nil
        return [
            transmit(
                MQTTEncoder.publish(
                    topic: topic,
                    qos: settings.qos,
                    id: id,
                    payload: Array(line.utf8),
                    version: settings.version
                ),
                now: now
            )
        ]
    }

    public mutating func command(_ command: AppCommand, now: Double) -> [AppAction] {
        guard phase == .open else { return [.notice("\(command.name): the MQTT session is not open")] }
        switch command {
        case .subscribe(let topic):
            return [subscribe(topic, now: now)]
        case .complete(let topic):
            let id = packetID()
            pendingUnsubscriptions[id] = topic
            topics.removeAll { $0 == topic }
            return [transmit(MQTTEncoder.unsubscribe(id: id, topic: topic, version: settings.version), now: now)]
        }
    }

    private mutating func subscribe(_ topic: String, now: Double) -> AppAction {
        let id = packetID()
        pendingSubscriptions[id] = topic
        return transmit(
            MQTTEncoder.subscribe(id: id, topic: topic, qos: settings.qos, version: settings.version),
            now: now
        )
    }

    /// A broker that closes instead of answering CONNECT (amqtt, AWS IoT) refuses
    /// the credentials: 3.1.1 §3.2.2.3 lets a server close without a CONNACK.
    /// Later, a close without DISCONNECT is a drop (EMQX's `disconnect_after_expire`,
    /// a session taken over in 3.1.1): the session ends as the broker's end would,
    /// and `--reconnect` refreshes and connects again.
    public func closeVerdict(code: UInt16, reason: String) -> AppCloseVerdict? {
        let close = "close \(code)\(reason.isEmpty ? "" : " \(reason)")"
        switch phase {
        case .connecting: return .refused("the broker closed the connection before CONNACK (\(close))")
        case .subscribing, .open: return .ended("the broker closed the connection without DISCONNECT (\(close))")
        case .ended: return nil
        }
    }

    /// An end without DISCONNECT after CONNACK (TCP ended, no PINGRESP) is how
    /// brokers drop a client whose token expired (EMQX's `disconnect_after_expire`;
    /// 3.1.1 has no server DISCONNECT at all): `--reconnect` refreshes first.
    public func dropCause(_ message: String) -> String? {
        established ? "the MQTT connection ended without DISCONNECT: \(message)" : nil
    }

    /// Leaving: DISCONNECT, then close 1000 (§3.14).
    public mutating func finish(now: Double) -> [AppAction] {
        defer { end() }
        guard !hasEnded else { return [.closeWebSocket] }
        return [transmit(MQTTEncoder.disconnect(version: settings.version), now: now), .closeWebSocket]
    }

    /// Packet identifiers are non-zero (§2.3.1).
    private mutating func packetID() -> UInt16 {
        defer { nextPacketID = nextPacketID == .max ? 1 : nextPacketID + 1 }
        return nextPacketID
    }

    /// Every packet we send restarts the keepalive (§3.1.2.10: the interval runs
    /// from the client's last packet).
    private mutating func transmit(_ bytes: [UInt8], now: Double, credential: Bool = false) -> AppAction {
        if settings.keepAlive > 0 { pingDue = now + keepAlive }
        return .transmit(.binary(bytes), carriesCredential: credential)
    }
}
