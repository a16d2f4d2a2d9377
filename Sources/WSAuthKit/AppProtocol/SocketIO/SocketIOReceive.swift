/// What `SocketIOProtocol` does with what the server sends: Engine.IO packets
/// first, then the Socket.IO packet inside a `message`, then attachments.
extension SocketIOProtocol {
    public mutating func receive(_ message: MessagePayload, now: Double) -> [AppAction] {
        guard phase != .ended else { return [] }
        do {
            switch message {
            case .text(let text): return try receive(text: text, now: now)
            case .binary(let bytes): return try receive(attachment: bytes)
            }
        } catch {
            phase = .ended
            return [.violation(error.message)]
        }
    }

    private mutating func receive(text: String, now: Double) throws(AppProtocolError) -> [AppAction] {
        if let assembling {
            throw AppProtocolError(
                "a text message while \(assembling.packet.attachments - assembling.sizes.count) binary attachment(s) were still due"
            )
        }
        switch try EngineIOPacket.parse(text) {
        case .open(let open): return try opened(open, now: now)
        case .ping(let data):
            guard let open else { throw AppProtocolError("an Engine.IO ping before the open packet") }
            heartbeatDeadline = now + Double(open.pingInterval + open.pingTimeout) / 1000
            return [
                .keepalive(AppKeepalive(.ping, .in, data: data)),
                .transmit(.text(EngineIOPacket.pong(data).encoded), carriesCredential: false),
                .keepalive(AppKeepalive(.pong, .out, data: data)),
            ]
        case .pong(let data): return [.keepalive(AppKeepalive(.pong, .in, data: data))]
        case .close:
            phase = .ended
            return [.serverEnded(reason: "the server closed the Engine.IO session (packet 1)")]
        case .noop: return []
        case .upgrade: return [.notice("an Engine.IO upgrade packet on the websocket transport, ignored")]
        case .message(let data):
            guard open != nil else { throw AppProtocolError("a Socket.IO packet before the Engine.IO open packet") }
            return try receive(packet: SocketIOPacket.parse(data))
        }
    }

    /// The open packet: start watching the heartbeat and send CONNECT.
    private mutating func opened(_ packet: EngineIOOpen, now: Double) throws(AppProtocolError) -> [AppAction] {
        guard phase == .awaitingOpen else { throw AppProtocolError("a second Engine.IO open packet") }
        open = packet
        phase = .awaitingConnect
        heartbeatDeadline = now + Double(packet.pingInterval + packet.pingTimeout) / 1000
        handshakeDeadline = now + handshakeTimeout
        let prefix = namespace == "/" ? "" : namespace + ","
        let connect = EngineIOPacket.message("0" + prefix + (auth ?? "")).encoded
        return [.transmit(.text(connect), carriesCredential: auth != nil)]
    }

    private mutating func receive(packet: SocketIOPacket) throws(AppProtocolError) -> [AppAction] {
        guard packet.namespace == namespace else {
            return [.notice("a Socket.IO packet for namespace \(packet.namespace), not \(namespace): ignored")]
        }
        switch packet.kind {
        case .connect: return try connected(packet)
        case .connectError:
            phase = .ended
            let message = packet.payload?["message"]?.stringValue ?? packet.payload?.stringValue ?? "(no message)"
            return [.rejected(message: message)]
        case .disconnect:
            phase = .ended
            return [.serverEnded(reason: "the server disconnected namespace \(namespace) (Socket.IO DISCONNECT)")]
        case .event, .ack:
            return deliver(packet, sizes: [])
        case .binaryEvent, .binaryAck:
            if packet.attachments == 0 { return deliver(packet, sizes: []) }
            guard packet.attachments <= 1000 else {
                throw AppProtocolError("a binary Socket.IO packet announcing \(packet.attachments) attachments")
            }
            assembling = (packet, [])
            return []
        }
    }

    private mutating func connected(_ packet: SocketIOPacket) throws(AppProtocolError) -> [AppAction] {
        guard phase == .awaitingConnect else { throw AppProtocolError("a Socket.IO CONNECT answer when none was due") }
        guard let sid = packet.payload?["sid"]?.stringValue else {
            throw AppProtocolError("a Socket.IO CONNECT answer without a sid")
        }
        phase = .connected
        handshakeDeadline = nil
        var details = [(name: "sid", value: sid), (name: "namespace", value: namespace)]
        if let open {
            details += [
                (name: "engine.io sid", value: Secret.redact(open.sid)),
                (name: "pingInterval", value: "\(open.pingInterval) ms"),
                (name: "pingTimeout", value: "\(open.pingTimeout) ms"),
            ]
            if let max = open.maxPayload { details.append((name: "maxPayload", value: "\(max) bytes")) }
        }
        var actions: [AppAction] = [.accepted(AppHandshake(app: name, details: details))]
        actions += earlyEvents.map(AppAction.deliver)
        earlyEvents = []
        for line in queuedLines { actions += emit(line) }
        queuedLines = []
        return actions
    }

    private mutating func receive(attachment bytes: [UInt8]) throws(AppProtocolError) -> [AppAction] {
        guard var (packet, sizes) = assembling else {
            throw AppProtocolError("a binary message that no binary Socket.IO packet announced")
        }
        sizes.append(bytes.count)
        guard sizes.count == packet.attachments else {
            assembling = (packet, sizes)
            return []
        }
        assembling = nil
        packet.attachments = sizes.count
        return deliver(packet, sizes: sizes)
    }

    /// An event or acknowledgement as a message: the text is the JSON array;
    /// attachments are reported by size (their bytes are not text).
    private mutating func deliver(_ packet: SocketIOPacket, sizes: [Int]) -> [AppAction] {
        var fields: [String: JSONValue] = [:]
        if namespace != "/" { fields["namespace"] = .string(namespace) }
        if !sizes.isEmpty { fields["attachments"] = .array(sizes.map(JSONValue.int)) }
        let text = packet.payload?.serialized() ?? "[]"
        let message: AppMessage
        if packet.kind == .ack || packet.kind == .binaryAck {
            let id = packet.id ?? -1
            guard awaitedAcks.remove(id) != nil else {
                return [.notice("a Socket.IO ACK for id \(id), which we did not ask for: \(text)")]
            }
            fields["ack"] = .int(id)
            message = AppMessage(text: text, label: "ack \(id)", fields: fields, counts: false)
        } else {
            let event = packet.eventName ?? ""
            fields["name"] = .string(event)
            if let id = packet.id { fields["id"] = .int(id) }
            message = AppMessage(text: text, label: event, fields: fields)
        }
        guard phase == .connected else {
            earlyEvents.append(message)
            return []
        }
        return [.deliver(message)]
    }
}
