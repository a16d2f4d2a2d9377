#if canImport(Glibc)
import Glibc
#endif

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
    /// A large frame still arriving, whose header is already parsed and dropped: its
    /// payload goes into a buffer of its own and is handed over without being moved.
    /// While it is under way `buffer` is empty: every byte is the payload's until it is full.
    private var large: LargePayload?

    /// Above this, an emptied buffer gives its memory back instead of keeping it for the
    /// next frame: one 64 MiB message should not pin 64 MiB for the connection's life.
    private static let retainedCapacity = 1 << 20
    /// Payloads from this size up get a buffer of their own, filled in place and handed over.
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
        var rest = bytes
        if large != nil {
            let taken = large!.fill(from: bytes)
            rest = UnsafeRawBufferPointer(rebasing: bytes[taken...])
        }
        buffer.append(contentsOf: rest)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// How many bytes a large payload under way still waits for; 0 when none is. A
    /// transport reads them with `receiveLargePayload` straight into that payload's buffer.
    public var largePayloadRemaining: Int {
        large.map { $0.bytes.count - $0.filled } ?? 0
    }

    /// Lets `read` write into the room left in a large payload under way (at most
    /// `largePayloadRemaining` bytes) and return how many it wrote: the way a 64 MiB
    /// message comes off the socket without being copied (issue 23). Returns that count;
    /// 0, without calling `read`, when no large payload is under way.
    public mutating func receiveLargePayload(_ read: (UnsafeMutableRawBufferPointer) -> Int) -> Int {
        guard failure == nil, large != nil else { return 0 }
        return large!.receive(read)
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
            large = nil
            throw error
        }
    }

    private mutating func decodeFrame() throws(ProtocolViolation) -> Decoded? {
        if large != nil { return completeLarge().map(Decoded.whole) }
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
        let payloadStart = readIndex + headerLength
        // The masking key is the header's last 4 bytes (RFC 6455 §5.2).
        let key: UInt32? =
            masked
            ? buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: payloadStart - 4, as: UInt32.self) }
            : nil
        let header = Frame(fin: fin, rsv1: rsv1, rsv2: rsv2, rsv3: rsv3, opcode: opcode, payload: [])
        if payloadLength >= Self.handOverThreshold {
            // Sized from the header, which the limit check above has bounded: a length
            // that lies can make us reserve at most the limit, and only touched pages cost.
            large = LargePayload(header: header, length: payloadLength, maskingKey: key)
            let buffered = min(payloadLength, buffer.count - payloadStart)
            buffer.withUnsafeBytes { _ = large!.fill(from: UnsafeRawBufferPointer(rebasing: $0[payloadStart...])) }
            consume(through: payloadStart + buffered)
            return completeLarge().map(Decoded.whole) ?? waitForMore()
        }
        guard available - headerLength >= payloadLength else {
            return waitForMore(frameLength: headerLength + payloadLength)
        }

        let range = payloadStart..<(payloadStart + payloadLength)
        if let key {
            // Unmasked where it lies, so that a copy out, if any, is a plain copy (RFC 6455 §5.3).
            buffer.withUnsafeMutableBytes { bytes in
                let region = UnsafeMutableRawBufferPointer(rebasing: bytes[range])
                Masking.apply(key: key, from: UnsafeRawBufferPointer(region), to: region)
            }
        }
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

    /// The large frame once all its payload is received.
    private mutating func completeLarge() -> Frame? {
        guard large?.isComplete == true, let payload = large.take() else { return nil }
        return payload.taken()
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

/// The payload of one large frame, in a buffer sized from its header: bytes are received
/// into it where they belong and unmasked there as they arrive, so none is moved on the
/// way in or out.
private struct LargePayload {
    let header: Frame
    /// All of the payload's length from the start; only the first `filled` bytes hold
    /// received data, and nothing reads the rest before it is filled.
    var bytes: [UInt8]
    private(set) var filled = 0
    let maskingKey: UInt32?

    init(header: Frame, length: Int, maskingKey: UInt32?) {
        self.header = header
        self.maskingKey = maskingKey
        // Uninitialized rather than zeroed: zeroing would touch every page of a message
        // that may never fully arrive, and each byte is written before it is read.
        bytes = [UInt8](unsafeUninitializedCapacity: length) { _, count in count = length }
        bytes.withUnsafeMutableBytes(Self.adviseHugePages)
    }

    /// Asks the kernel to back the buffer with 2 MiB pages where it can: a 64 MiB payload
    /// then costs 32 page faults instead of 16,384, which were most of its receive time.
    /// Only the whole 2 MiB pages inside the buffer are named; it is a hint.
    private static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        let hugePage = 2 << 20
        guard buffer.count >= 2 * hugePage, let base = buffer.baseAddress else { return }
        let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(hugePage - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
    }

    var isComplete: Bool { filled == bytes.count }

    /// Copies what of `source` fits; returns how many bytes it took.
    mutating func fill(from source: UnsafeRawBufferPointer) -> Int {
        receive { room in
            let count = min(room.count, source.count)
            room.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[..<count]))
            return count
        }
    }

    mutating func receive(_ read: (UnsafeMutableRawBufferPointer) -> Int) -> Int {
        let start = filled
        let key = maskingKey.map { Self.rotated($0, by: start) }
        let count = bytes.withUnsafeMutableBytes { bytes in
            let room = UnsafeMutableRawBufferPointer(rebasing: bytes[start...])
            let count = read(room)
            precondition((0...room.count).contains(count), "a read reported more bytes than it had room for")
            if let key {
                // While the bytes are in cache rather than in a second pass (RFC 6455 §5.3).
                let received = UnsafeMutableRawBufferPointer(rebasing: room[..<count])
                Masking.apply(key: key, from: UnsafeRawBufferPointer(received), to: received)
            }
            return count
        }
        filled += count
        return count
    }

    /// The key word for bytes from `offset` of the payload: byte i is masked with key
    /// byte (offset + i) mod 4 (RFC 6455 §5.3).
    private static func rotated(_ key: UInt32, by offset: Int) -> UInt32 {
        var word: UInt32 = 0
        withUnsafeBytes(of: key) { key in
            withUnsafeMutableBytes(of: &word) { word in
                for index in 0..<4 { word[index] = key[(offset + index) & 3] }
            }
        }
        return word
    }

    consuming func taken() -> Frame {
        var frame = header
        frame.payload = bytes
        return frame
    }
}
