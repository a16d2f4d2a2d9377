/// Compresses outgoing messages for permessage-deflate (RFC 7692 §7.2.1).
struct MessageDeflater: Sendable {
    private var stream: ZlibStream
    /// Start each message from an empty window (`*_no_context_takeover`, RFC 7692 §7.1.1).
    private let noContextTakeover: Bool

    /// The 4 octets that end every sync flush (an empty stored block), which the sender
    /// removes and the receiver appends back (RFC 7692 §7.2.1, §7.2.2).
    static let flushTail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    /// Nil when the window allowed is 8 bits: zlib cannot compress with a 256-byte raw
    /// window, and a larger one could refer back further than the peer keeps. Messages
    /// then go uncompressed, which RFC 7692 §6 allows for any message.
    init?(windowBits: Int, noContextTakeover: Bool) {
        guard (9...15).contains(windowBits) else { return nil }
        stream = ZlibStream(deflateWindowBits: windowBits)
        self.noContextTakeover = noContextTakeover
    }

    /// The compressed payload of one message, to be sent with RSV1 on its first frame.
    mutating func compress(_ message: [UInt8]) -> [UInt8] {
        if !isKnownUniquelyReferenced(&stream) { stream = stream.copy() }
        var output: [UInt8] = []
        output.reserveCapacity(message.count / 2 + 64)
        do {
            try stream.process(message, into: &output)
        } catch {
            // Deflating has no invalid input; only a broken stream fails.
            preconditionFailure("zlib deflate failed: \(error)")
        }
        // A sync flush always ends with the empty stored block; RFC 7692 §7.2.1 says to
        // drop it.
        if output.count >= 4, output.suffix(4).elementsEqual(Self.flushTail) {
            output.removeLast(4)
        }
        if noContextTakeover { stream.reset() }
        return output
    }
}
