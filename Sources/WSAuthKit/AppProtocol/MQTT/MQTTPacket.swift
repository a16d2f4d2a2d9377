/// MQTT control packets as wsauth sends and reads them (MQTT 3.1.1 §2–3,
/// MQTT 5.0 §2–3): the encoder for what a client sends, the decoder for what a
/// server sends. QoS 2 is never asked for, so its flow is not spoken.
public enum MQTTPacket: Equatable, Sendable {
    case connack(sessionPresent: Bool, code: UInt8, reasonString: String?)
    case publish(topic: String, qos: UInt8, packetID: UInt16?, retain: Bool, payload: [UInt8])
    case puback(packetID: UInt16)
    case suback(packetID: UInt16, codes: [UInt8])
    case unsuback(packetID: UInt16)
    case pingresp
    /// MQTT 5.0 §3.14: the server ends the connection with a reason.
    case disconnect(code: UInt8, reasonString: String?)

    /// The packet types (§2.1.2).
    enum Kind: UInt8 {
        case connect = 1
        case connack, publish, puback, pubrec, pubrel, pubcomp, subscribe, suback
        case unsubscribe, unsuback, pingreq, pingresp, disconnect, auth
    }
}

/// A packet that cannot be read: the server broke MQTT (exit 3).
public struct MQTTMalformed: Error, Equatable, Sendable {
    public let detail: String
    init(_ detail: String) { self.detail = detail }
}

// MARK: Decoding

extension MQTTPacket {
    /// One complete packet: `first` is the fixed header's first byte, `body` the
    /// remaining length's bytes.
    static func decode(first: UInt8, body: [UInt8], version: MQTTVersion) throws(MQTTMalformed) -> MQTTPacket {
        var reader = MQTTReader(body)
        let flags = first & 0x0F
        guard let kind = Kind(rawValue: first >> 4) else { throw MQTTMalformed("packet type 0 is reserved") }
        switch kind {
        case .connack:
            let acknowledge = try reader.byte()
            let code = try reader.byte()
            let reason = version == .v5 && !reader.atEnd ? try reader.properties().reasonString : nil
            return .connack(sessionPresent: acknowledge & 1 == 1, code: code, reasonString: reason)
        case .publish:
            let qos = (flags >> 1) & 0x03
            guard qos < 3 else { throw MQTTMalformed("a PUBLISH with QoS 3") }
            let topic = try reader.string()
            let id = qos > 0 ? try reader.u16() : nil
            if version == .v5 { _ = try reader.properties() }
            return .publish(topic: topic, qos: qos, packetID: id, retain: flags & 1 == 1, payload: reader.rest())
        case .puback:
            return .puback(packetID: try reader.u16())
        case .suback:
            let id = try reader.u16()
            if version == .v5 { _ = try reader.properties() }
            let codes = reader.rest()
            guard !codes.isEmpty else { throw MQTTMalformed("a SUBACK without return codes") }
            return .suback(packetID: id, codes: codes)
        case .unsuback:
            return .unsuback(packetID: try reader.u16())
        case .pingresp:
            return .pingresp
        case .disconnect:
            guard version == .v5 else {
                throw MQTTMalformed("a DISCONNECT from the server, which MQTT 3.1.1 does not allow (§3.14)")
            }
            if reader.atEnd { return .disconnect(code: 0, reasonString: nil) }
            let code = try reader.byte()
            let reason = reader.atEnd ? nil : try reader.properties().reasonString
            return .disconnect(code: code, reasonString: reason)
        case .connect, .pubrec, .pubrel, .pubcomp, .subscribe, .unsubscribe, .pingreq, .auth:
            throw MQTTMalformed("a \(kind) packet, which a server does not send to this client")
        }
    }
}

/// Reads the fields of one packet's body (§1.5 data representation).
struct MQTTReader {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    mutating func byte() throws(MQTTMalformed) -> UInt8 {
        guard index < bytes.count else { throw MQTTMalformed("a packet shorter than its fields") }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func u16() throws(MQTTMalformed) -> UInt16 {
        UInt16(try byte()) << 8 | UInt16(try byte())
    }

    mutating func u32() throws(MQTTMalformed) -> UInt32 {
        UInt32(try u16()) << 16 | UInt32(try u16())
    }

    mutating func take(_ count: Int) throws(MQTTMalformed) -> [UInt8] {
        guard count <= bytes.count - index else { throw MQTTMalformed("a packet shorter than its fields") }
        defer { index += count }
        return Array(bytes[index..<index + count])
    }

    /// §1.5.4: a length-prefixed UTF-8 string.
    mutating func string() throws(MQTTMalformed) -> String {
        let raw = try take(Int(try u16()))
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw MQTTMalformed("a string that is not UTF-8")
        }
        return text
    }

    /// §1.5.5 (5.0 §1.5.5): the variable byte integer, at most four bytes.
    mutating func variableInteger() throws(MQTTMalformed) -> Int {
        var value = 0
        for shift in stride(from: 0, to: 28, by: 7) {
            let next = try byte()
            value |= Int(next & 0x7F) << shift
            if next & 0x80 == 0 { return value }
        }
        throw MQTTMalformed("a variable byte integer longer than four bytes")
    }

    mutating func rest() -> [UInt8] {
        defer { index = bytes.count }
        return Array(bytes[min(index, bytes.count)...])
    }

    /// MQTT 5.0 §2.2.2: the properties, read to keep the reason string and step over the rest.
    mutating func properties() throws(MQTTMalformed) -> (reasonString: String?, serverKeepAlive: UInt16?) {
        let length = try variableInteger()
        var reader = MQTTReader(try take(length))
        var reason: String?
        var keepAlive: UInt16?
        while !reader.atEnd {
            let identifier = try reader.variableInteger()
            switch identifier {
            case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A: _ = try reader.byte()
            case 0x13: keepAlive = try reader.u16()
            case 0x21, 0x22, 0x23: _ = try reader.u16()
            case 0x02, 0x11, 0x18, 0x27: _ = try reader.u32()
            case 0x0B: _ = try reader.variableInteger()
            case 0x1F: reason = try reader.string()
            case 0x03, 0x08, 0x12, 0x15, 0x1A, 0x1C: _ = try reader.string()
            case 0x09, 0x16: _ = try reader.take(Int(try reader.u16()))
            case 0x26:
                _ = try reader.string()
                _ = try reader.string()
            default: throw MQTTMalformed("an unknown property identifier \(identifier)")
            }
        }
        return (reason, keepAlive)
    }
}

// MARK: Encoding

/// What a client sends (§3.1 CONNECT … §3.14 DISCONNECT).
enum MQTTEncoder {
    struct Connect {
        var version: MQTTVersion
        var clientID: String
        var keepAlive: UInt16
        var user: String?
        var password: String?
    }

    static func connect(_ connect: Connect) -> [UInt8] {
        var body = string("MQTT") + [connect.version.level]
        var flags: UInt8 = 0x02  // Clean Session / Clean Start (§3.1.2.4)
        if connect.user != nil { flags |= 0x80 }
        if connect.password != nil { flags |= 0x40 }
        body += [flags] + u16(connect.keepAlive)
        if connect.version == .v5 { body += [0] }  // no properties
        body += string(connect.clientID)
        if let user = connect.user { body += string(user) }
        if let password = connect.password { body += string(password) }
        return packet(0x10, body)
    }

    static func subscribe(id: UInt16, topic: String, qos: UInt8, version: MQTTVersion) -> [UInt8] {
        packet(0x82, u16(id) + (version == .v5 ? [0] : []) + string(topic) + [qos])
    }

    static func unsubscribe(id: UInt16, topic: String, version: MQTTVersion) -> [UInt8] {
        packet(0xA2, u16(id) + (version == .v5 ? [0] : []) + string(topic))
    }

    static func publish(topic: String, qos: UInt8, id: UInt16?, payload: [UInt8], version: MQTTVersion) -> [UInt8] {
        packet(0x30 | qos << 1, string(topic) + (id.map(u16) ?? []) + (version == .v5 ? [0] : []) + payload)
    }

    static func puback(id: UInt16) -> [UInt8] { packet(0x40, u16(id)) }
    static let pingreq: [UInt8] = [0xC0, 0x00]
    /// 5.0: reason 0x00 Normal disconnection, no properties; 3.1.1 has no body.
    static func disconnect(version: MQTTVersion) -> [UInt8] { version == .v5 ? [0xE0, 0x01, 0x00] : [0xE0, 0x00] }

    static func packet(_ first: UInt8, _ body: [UInt8]) -> [UInt8] {
        [first] + variableInteger(body.count) + body
    }

    static func variableInteger(_ value: Int) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value > 0 { byte |= 0x80 }
            out.append(byte)
        } while value > 0
        return out
    }

    static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func string(_ text: String) -> [UInt8] { u16(UInt16(text.utf8.count)) + Array(text.utf8) }
}
