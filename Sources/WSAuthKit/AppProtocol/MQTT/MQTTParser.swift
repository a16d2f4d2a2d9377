/// Splits the bytes of binary WebSocket messages into MQTT packets: a packet
/// may span messages and a message may hold several (MQTT 5.0 §6.0: the
/// receiver must not assume packets are aligned on frame boundaries).
public struct MQTTParser: Sendable {
    /// Larger than any packet a debugging session should see; the spec allows 256 MB.
    public static let maximumPacket = 16 * 1024 * 1024

    let version: MQTTVersion
    private var buffer: [UInt8] = []

    public init(version: MQTTVersion) { self.version = version }

    /// The complete packets the bytes finish, in order.
    public mutating func feed(_ bytes: [UInt8]) throws(MQTTMalformed) -> [MQTTPacket] {
        buffer += bytes
        var packets: [MQTTPacket] = []
        while let (first, bodyStart, length) = try header() {
            guard buffer.count >= bodyStart + length else { break }
            let body = Array(buffer[bodyStart..<bodyStart + length])
            buffer.removeFirst(bodyStart + length)
            packets.append(try MQTTPacket.decode(first: first, body: body, version: version))
        }
        return packets
    }

    /// The fixed header (§2.2), nil until all of it has arrived.
    private func header() throws(MQTTMalformed) -> (UInt8, Int, Int)? {
        guard let first = buffer.first else { return nil }
        var length = 0
        for index in 1...4 {
            guard index < buffer.count else { return nil }
            length |= Int(buffer[index] & 0x7F) << (7 * (index - 1))
            if buffer[index] & 0x80 == 0 {
                guard length <= MQTTParser.maximumPacket else {
                    throw MQTTMalformed("a packet of \(length) bytes, more than \(MQTTParser.maximumPacket)")
                }
                return (first, index + 1, length)
            }
        }
        throw MQTTMalformed("a remaining length longer than four bytes")
    }
}
