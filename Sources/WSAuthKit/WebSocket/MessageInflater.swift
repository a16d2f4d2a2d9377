/// Decompresses incoming messages for permessage-deflate (RFC 7692 §7.2.2), never
/// producing more than the message size limit: a few kilobytes that inflate to a gigabyte
/// (a decompression bomb) are refused at the first byte over the limit.
struct MessageInflater: Sendable {
    private var stream = ZlibStream()
    /// The sender starts each message from an empty window (`*_no_context_takeover`,
    /// RFC 7692 §7.1.1), so ours can be dropped too.
    private let noContextTakeover: Bool

    init(noContextTakeover: Bool) {
        self.noContextTakeover = noContextTakeover
    }

    /// Inflates one frame's payload of a compressed message onto `message`, which must
    /// not exceed `limit` bytes.
    mutating func inflate(_ payload: [UInt8], into message: inout [UInt8], limit: Int) throws(ZlibStream.Failure) {
        makeStreamUnique()
        try stream.process(payload, into: &message, limit: limit)
    }

    /// Ends a message after its final frame: appends the 4 octets the sender removed
    /// (RFC 7692 §7.2.2) and forgets the window when the sender does.
    ///
    /// A sender that flushed with a final block (BFINAL set, RFC 7692 §7.2.3.5) ended its
    /// DEFLATE stream: the stream is fresh again, and the 4 octets, which only make sense
    /// after a block header, are left out.
    mutating func finishMessage(into message: inout [UInt8], limit: Int) throws(ZlibStream.Failure) {
        makeStreamUnique()
        if !stream.isFresh {
            try inflate(MessageDeflater.flushTail, into: &message, limit: limit)
        }
        if noContextTakeover { stream.reset() }
    }

    /// Copy-on-write: a copied connection must not advance the original's window.
    private mutating func makeStreamUnique() {
        if !isKnownUniquelyReferenced(&stream) { stream = stream.copy() }
    }
}
