/// One Socket.IO packet (socket.io-protocol v5, the protocol of the Socket.IO
/// v4 libraries), carried in an Engine.IO `message`: a type digit, for binary
/// packets the attachment count and `-`, the namespace when it is not `/`
/// followed by `,`, an optional acknowledgement id, then a JSON payload.
///
///     0{"token":"…"}   40/admin,{"sid":"…"}   2["chat",{"text":"hi"}]
///     212["ask",1]     31[["answer"]]         51-["file",{"_placeholder":true,"num":0}]
public struct SocketIOPacket: Sendable, Equatable {
    public enum Kind: Int, Sendable {
        case connect = 0
        case disconnect, event, ack, connectError, binaryEvent, binaryAck
    }

    public var kind: Kind
    public var namespace: String
    /// How many binary WebSocket messages follow (only for `binaryEvent`/`binaryAck`).
    public var attachments: Int
    public var id: Int?
    public var payload: JSONValue?

    public init(kind: Kind, namespace: String = "/", attachments: Int = 0, id: Int? = nil, payload: JSONValue? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.attachments = attachments
        self.id = id
        self.payload = payload
    }

    /// The event name of an `event`/`binaryEvent` (the first element of its array).
    public var eventName: String? {
        guard case .array(let items)? = payload, let first = items.first else { return nil }
        if case .number(let n) = first { return JSONValue.format(number: n) }
        return first.stringValue
    }

    /// The text after the Engine.IO `4`.
    public var encoded: String {
        var out = String(kind.rawValue)
        if kind == .binaryEvent || kind == .binaryAck { out += "\(attachments)-" }
        if namespace != "/" { out += namespace + "," }
        if let id { out += String(id) }
        if let payload { out += payload.serialized() }
        return out
    }
}

extension SocketIOPacket {
    /// Parses the data of an Engine.IO `message`, with the checks socket.io-parser
    /// makes (`isPayloadValid`): a packet it would refuse is a protocol error here.
    public static func parse(_ text: String) throws(AppProtocolError) -> SocketIOPacket {
        var rest = Substring(text)
        guard let digit = rest.first, let raw = digit.wholeNumberValue, let kind = Kind(rawValue: raw) else {
            throw AppProtocolError("unknown Socket.IO packet type in \(AppProtocolError.excerpt(text))")
        }
        rest = rest.dropFirst()
        var packet = SocketIOPacket(kind: kind)
        if kind == .binaryEvent || kind == .binaryAck {
            let count = rest.prefix(while: \.isASCIIDigit)
            rest = rest.dropFirst(count.count)
            guard !count.isEmpty, count.count < 7, let attachments = Int(count), rest.first == "-" else {
                throw AppProtocolError(
                    "a binary Socket.IO packet without its attachment count in \(AppProtocolError.excerpt(text))"
                )
            }
            packet.attachments = attachments
            rest = rest.dropFirst()
        }
        if rest.first == "/" {
            let end = rest.firstIndex(of: ",") ?? rest.endIndex
            packet.namespace = String(rest[..<end])
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
        let digits = rest.prefix(while: \.isASCIIDigit)
        if !digits.isEmpty {
            guard digits.count < 16, let id = Int(digits) else {
                throw AppProtocolError(
                    "a Socket.IO acknowledgement id out of range in \(AppProtocolError.excerpt(text))"
                )
            }
            packet.id = id
            rest = rest.dropFirst(digits.count)
        }
        if !rest.isEmpty {
            do { packet.payload = try JSONValue.parse(String(rest)) } catch {
                throw AppProtocolError(
                    "a Socket.IO packet whose payload is not JSON (\(error.reason)) in \(AppProtocolError.excerpt(text))"
                )
            }
        }
        try packet.checkPayload(text)
        return packet
    }

    /// Names a server may not emit: the client's own lifecycle events.
    static let reservedEvents: Set = [
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    ]

    /// socket.io-parser's `isPayloadValid`, per packet type.
    private func checkPayload(_ text: String) throws(AppProtocolError) {
        let valid: Bool
        switch (kind, payload) {
        case (.connect, nil), (.connect, .object?): valid = true
        case (.disconnect, nil): valid = true
        case (.connectError, .object?), (.connectError, .string?): valid = true
        case (.event, .array?), (.binaryEvent, .array?):
            valid = eventName.map { !SocketIOPacket.reservedEvents.contains($0) } ?? false
        case (.ack, .array?), (.binaryAck, .array?): valid = id != nil
        default: valid = false
        }
        guard valid else {
            throw AppProtocolError("an invalid Socket.IO \(kind) packet \(AppProtocolError.excerpt(text))")
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
