/// Turns a byte stream into frames (RFC 6455 §5.2), checking everything a single frame
/// can get wrong. Message-level rules (fragment order, UTF-8, close bodies) belong to
/// `WebSocketConnection`.
///
/// Bytes are buffered behind a read index; the consumed prefix is dropped only when the
/// buffer empties or a partial frame is moved to the front, so each byte is copied a
/// bounded number of times however the stream is split.
public struct FrameDecoder: Sendable {
    public let role: Role
    /// The largest data frame payload accepted; a longer one is refused from its header,
    /// before its payload is buffered. Control frames are bounded by 125 bytes instead.
    public var maxFrameSize: Int
    /// RSV1 means "compressed" once permessage-deflate (RFC 7692 §6) is negotiated;
    /// without an extension it must be 0 (RFC 6455 §5.2).
    public var allowRSV1: Bool

    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// After a violation the stream's framing cannot be trusted: the error repeats and
    /// further bytes are dropped.
    private var failure: ProtocolViolation?
    /// A large unmasked frame still arriving, whose header is already parsed and dropped:
    /// its payload collects at the buffer's start and is handed over without being moved.
    private var pending: Frame?
    private var pendingLength = 0

    /// Above this, an emptied buffer gives its memory back instead of keeping it for the
    /// next frame: one 64 MiB message should not pin 64 MiB for the connection's life.
    private static let retainedCapacity = 1 << 20
    /// Payloads from this size up are handed over rather than copied out.
    private static let handOverThreshold = 1 << 20
    /// The most one transport read adds (CurlStream reads 256 KiB at a time).
    private static let readAllowance = 256 * 1024

    public init(role: Role, maxFrameSize: Int, allowRSV1: Bool = false) {
        self.role = role
        self.maxFrameSize = maxFrameSize
        self.allowRSV1 = allowRSV1
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        guard failure == nil else { return }
        buffer.append(contentsOf: bytes)
    }

    /// What `next(lending:)` gives: the frame copied out, or what its `body` made of it.
    public enum Lent<Made> {
        case frame(Frame)
        case made(Made)
    }

    /// A frame as `decodeFrame` finds it: complete in the buffer (unmasked in place) at
    /// `payload`, not yet consumed, with an empty `Frame.payload`; or handed over whole.
    private enum Decoded {
        case buffered(Frame, payload: Range<Int>)
        case whole(Frame)
    }

    /// The next complete frame, or nil until one is fully buffered.
    public mutating func next() throws(ProtocolViolation) -> Frame? {
        switch try nextDecoded() {
        case nil: return nil
        case .whole(let frame): return frame
        case .buffered(var frame, let payload):
            frame.payload = Array(buffer[payload])
            consume(through: payload.upperBound)
            return frame
        }
    }

    /// The next complete frame, lent in place before it is copied out: `body` gets its
    /// header (an empty `payload`) and its bytes where they lie in the buffer, valid only
    /// during the call, and what it makes of them stands for the frame. When it makes
    /// nothing (nil), or when a large payload was handed over whole, the frame is returned
    /// as `next()` returns it. The receive path builds a text message's String from the
    /// bytes this way, without an intermediate array per message (issue 23).
    public mutating func next<Made>(
        lending body: (Frame, UnsafeRawBufferPointer) -> Made?
    ) throws(ProtocolViolation) -> Lent<Made>? {
        switch try nextDecoded() {
        case nil: return nil
        case .whole(let frame): return .frame(frame)
        case .buffered(var frame, let payload):
            let made = buffer.withUnsafeBytes { body(frame, UnsafeRawBufferPointer(rebasing: $0[payload])) }
            if made == nil { frame.payload = Array(buffer[payload]) }
            consume(through: payload.upperBound)
            return made.map(Lent.made) ?? .frame(frame)
        }
    }

    private mutating func nextDecoded() throws(ProtocolViolation) -> Decoded? {
        if let failure { throw failure }
        do {
            return try decodeFrame()
        } catch {
            failure = error
            buffer = []
            readIndex = 0
            pending = nil
            throw error
        }
    }

    private mutating func decodeFrame() throws(ProtocolViolation) -> Decoded? {
        if let pending { return completePending(pending).map(Decoded.whole) }
        let available = buffer.count - readIndex
        guard available >= 2 else { return waitForMore() }
        let first = buffer[readIndex]
        let second = buffer[readIndex + 1]

        let fin = first & 0x80 != 0
        let rsv1 = first & 0x40 != 0
        let rsv2 = first & 0x20 != 0
        let rsv3 = first & 0x10 != 0
        if (rsv1 && !allowRSV1) || rsv2 || rsv3 {
            throw .reservedBitsSet(rsv1: rsv1 && !allowRSV1, rsv2: rsv2, rsv3: rsv3)
        }
        guard let opcode = Opcode(rawValue: first & 0x0F) else { throw .unknownOpcode(first & 0x0F) }
        let masked = second & 0x80 != 0
        switch (role, masked) {
        case (.client, true): throw .maskedFrameFromServer
        case (.server, false): throw .unmaskedFrameFromClient
        default: break
        }
        if opcode.isControl && !fin { throw .fragmentedControlFrame(opcode) }

        let lengthField = second & 0x7F
        let extendedLengthBytes = lengthField == 127 ? 8 : lengthField == 126 ? 2 : 0
        let headerLength = 2 + extendedLengthBytes + (masked ? 4 : 0)
        guard available >= headerLength else { return waitForMore() }

        var length = UInt64(lengthField)
        if extendedLengthBytes > 0 {
            length = 0
            for offset in 0..<extendedLengthBytes {
                length = length << 8 | UInt64(buffer[readIndex + 2 + offset])
            }
        }
        if length & (1 << 63) != 0 { throw .lengthTopBitSet }
        if opcode.isControl && length > UInt64(Frame.maxControlPayload) {
            throw .controlFrameTooLong(opcode, length: length)
        }
        if !opcode.isControl && length > UInt64(max(maxFrameSize, 0)) {
            throw .messageTooBig(size: length, limit: maxFrameSize)
        }

        let payloadLength = Int(length)
        guard available - headerLength >= payloadLength else {
            if !masked, payloadLength >= Self.handOverThreshold {
                // Drop the header now, while little of the frame is buffered, so that the
                // whole payload never has to be moved over it.
                buffer.removeSubrange(0..<(readIndex + headerLength))
                readIndex = 0
                pending = Frame(fin: fin, rsv1: rsv1, rsv2: rsv2, rsv3: rsv3, opcode: opcode, payload: [])
                pendingLength = payloadLength
                return waitForMore(frameLength: payloadLength)
            }
            return waitForMore(frameLength: headerLength + payloadLength)
        }

        let payloadStart = readIndex + headerLength
        if !masked, payloadLength >= Self.handOverThreshold, payloadStart + payloadLength == buffer.count {
            // A large unmasked payload that ends the buffer: drop the header in place and
            // hand the buffer over, rather than allocate and fault in a second copy.
            buffer.removeSubrange(0..<payloadStart)
            let payload = buffer
            buffer = []
            readIndex = 0
            return .whole(Frame(fin: fin, rsv1: rsv1, rsv2: rsv2, rsv3: rsv3, opcode: opcode, payload: payload))
        }
        let range = payloadStart..<(payloadStart + payloadLength)
        if masked {
            // Unmasked where it lies, so that a copy out, if any, is a plain copy (RFC 6455 §5.3).
            buffer.withUnsafeMutableBytes { bytes in
                let key = bytes.loadUnaligned(fromByteOffset: payloadStart - 4, as: UInt32.self)
                let region = UnsafeMutableRawBufferPointer(rebasing: bytes[range])
                Masking.apply(key: key, from: UnsafeRawBufferPointer(region), to: region)
            }
        }
        let header = Frame(fin: fin, rsv1: rsv1, rsv2: rsv2, rsv3: rsv3, opcode: opcode, payload: [])
        return .buffered(header, payload: range)
    }

    /// Drops the bytes before `end`, the frame just taken; an emptied buffer is kept for
    /// the next read unless it grew large.
    private mutating func consume(through end: Int) {
        readIndex = end
        guard readIndex == buffer.count else { return }
        if buffer.capacity > Self.retainedCapacity {
            buffer = []
        } else {
            buffer.removeAll(keepingCapacity: true)
        }
        readIndex = 0
    }

    /// The pending frame once its payload is all buffered: handed over when it fills the
    /// buffer, else copied out and the rest kept for the next frame.
    private mutating func completePending(_ header: Frame) -> Frame? {
        guard buffer.count >= pendingLength else { return nil }
        var frame = header
        if buffer.count == pendingLength {
            frame.payload = buffer
            buffer = []
        } else {
            frame.payload = Array(buffer[..<pendingLength])
            buffer = Array(buffer[pendingLength...])  // and let the large buffer go
        }
        pending = nil
        return frame
    }

    /// Moves a partial frame to the front before waiting, so that the consumed prefix
    /// never grows: a frame is moved at most once. Once the frame's length is known, room
    /// for all of it is made at once rather than by repeated doubling.
    private mutating func waitForMore(frameLength: Int = 0) -> Decoded? {
        if readIndex > 0 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        // Room for the frame plus one more read, so that the read that completes it does
        // not double the buffer.
        if frameLength > 0, buffer.capacity < frameLength + Self.readAllowance {
            buffer.reserveCapacity(frameLength + Self.readAllowance)
        }
        return nil
    }
}
