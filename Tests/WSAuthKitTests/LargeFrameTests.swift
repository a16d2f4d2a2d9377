import Testing

@testable import WSAuthKit

/// Large payloads (1 MiB and up) get a buffer of their own, sized from the frame header
/// and filled in place, by `append` or by a transport reading straight into it
/// (`receiveLargePayload`); the bytes must be the same either way.
@Suite("Large frames")
struct LargeFrameTests {
    static let payload: [UInt8] = (0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }

    static func encoded(_ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        FrameEncoder.encode(Frame(opcode: .binary, payload: payload), maskingKey: nil, into: &bytes)
        return bytes
    }

    @Test func largeFrameEndingTheBufferIsHandedOverIntact() throws {
        var decoder = FrameDecoder(role: .client, maxFrameSize: 64 << 20)
        let bytes = Self.encoded(Self.payload)
        // Arrives in pieces, as from the socket.
        for start in stride(from: 0, to: bytes.count, by: 256 * 1024) {
            decoder.append(Array(bytes[start..<min(start + 256 * 1024, bytes.count)]))
        }
        let frame = try #require(try decoder.next())
        #expect(frame.payload == Self.payload)
        #expect(try decoder.next() == nil)
    }

    @Test func largeFrameFollowedByAnotherIsCopiedAndTheNextStillDecodes() throws {
        var decoder = FrameDecoder(role: .client, maxFrameSize: 64 << 20)
        decoder.append(Self.encoded(Self.payload) + Self.encoded([1, 2, 3]))
        #expect(try decoder.next()?.payload == Self.payload)
        #expect(try decoder.next()?.payload == [1, 2, 3])
        #expect(try decoder.next() == nil)
    }

    /// As the connection does it: `next()` after every read, so the header is parsed
    /// (and dropped) long before the payload is complete.
    @Test(arguments: [[], [0x82, 0x03, 7, 8, 9]] as [[UInt8]])
    func largeFrameDecodedReadByRead(after: [UInt8]) throws {
        var decoder = FrameDecoder(role: .client, maxFrameSize: 64 << 20)
        let bytes = Self.encoded([1]) + Self.encoded(Self.payload) + after
        var frames: [Frame] = []
        for start in stride(from: 0, to: bytes.count, by: 100_000) {
            decoder.append(Array(bytes[start..<min(start + 100_000, bytes.count)]))
            while let frame = try decoder.next() { frames.append(frame) }
        }
        #expect(frames.map(\.payload) == [[1], Self.payload] + (after.isEmpty ? [] : [[7, 8, 9]]))
        decoder.append(Self.encoded([5]))
        #expect(try decoder.next()?.payload == [5])
    }

    @Test func bufferIsReusableAfterAHandOver() throws {
        var decoder = FrameDecoder(role: .client, maxFrameSize: 64 << 20)
        decoder.append(Self.encoded(Self.payload))
        _ = try decoder.next()
        decoder.append(Self.encoded([9]))
        #expect(try decoder.next()?.payload == [9])
    }

    /// A transport's reads into the room the decoder gives: `chunk` bytes of `source`
    /// from `offset` at most, never more than the room.
    static func read(_ source: [UInt8], from offset: Int, chunk: Int) -> (UnsafeMutableRawBufferPointer) -> Int {
        { room in
            let count = min(room.count, chunk, source.count - offset)
            source.withUnsafeBytes {
                room.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + count]))
            }
            return count
        }
    }

    /// Feeds `bytes` as a client loop does: the frame header by `append`, then while a
    /// large payload is under way only as much as it waits for, read straight into it.
    static func receive(
        _ bytes: [UInt8],
        into decoder: inout FrameDecoder,
        chunk: Int = 100_003
    ) throws -> [Frame] {
        var frames: [Frame] = []
        var offset = 0
        while offset < bytes.count {
            let remaining = decoder.largePayloadRemaining
            if remaining > 0 {
                var rooms: [Int] = []
                let count = decoder.receiveLargePayload { room in
                    rooms.append(room.count)
                    return Self.read(bytes, from: offset, chunk: chunk)(room)
                }
                // The room offered is exactly what the payload waits for: a read can
                // never take the next frame's bytes into this payload.
                #expect(rooms == [remaining])
                offset += count
            } else {
                let end = min(offset + 7, bytes.count)  // a header, and a little more
                decoder.append(Array(bytes[offset..<end]))
                offset = end
            }
            while let frame = try decoder.next() { frames.append(frame) }
        }
        return frames
    }

    @Test func largePayloadIsReadStraightIntoItsBuffer() throws {
        var decoder = FrameDecoder(role: .client, maxFrameSize: 64 << 20)
        let bytes = Self.encoded([1]) + Self.encoded(Self.payload) + Self.encoded([7, 8, 9])
        let frames = try Self.receive(bytes, into: &decoder)
        #expect(frames.map(\.payload) == [[1], Self.payload, [7, 8, 9]])
        #expect(decoder.largePayloadRemaining == 0)
        #expect(
            decoder.receiveLargePayload { _ in
                Issue.record("no payload is under way")
                return 0
            } == 0
        )
    }

    /// RFC 6455 §5.3 masking, undone as the bytes arrive in reads whose sizes are not
    /// multiples of 4: the key must carry on from where the last read left it.
    @Test(arguments: [1, 3, 4097, 65_537])
    func largeMaskedPayloadIsUnmaskedAcrossReads(chunk: Int) throws {
        var decoder = FrameDecoder(role: .server, maxFrameSize: 64 << 20)
        var bytes: [UInt8] = []
        let payload = Array(Self.payload[..<(chunk == 1 ? (1 << 20) + 5 : Self.payload.count)])
        let key: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        FrameEncoder.encode(Frame(opcode: .binary, payload: payload), maskingKey: key, into: &bytes)
        FrameEncoder.encode(Frame(opcode: .text, payload: [104, 105]), maskingKey: [9, 8, 7, 6], into: &bytes)
        let frames = try Self.receive(bytes, into: &decoder, chunk: chunk)
        #expect(frames.map(\.payload) == [payload, [104, 105]])
    }

    @Test func largeMaskedPayloadAppendedInPiecesIsUnmasked() throws {
        var decoder = FrameDecoder(role: .server, maxFrameSize: 64 << 20)
        var bytes: [UInt8] = []
        FrameEncoder.encode(
            Frame(opcode: .binary, payload: Self.payload),
            maskingKey: [0xA1, 0, 0xFF, 3],
            into: &bytes
        )
        var frames: [Frame] = []
        for start in stride(from: 0, to: bytes.count, by: 99_999) {
            decoder.append(Array(bytes[start..<min(start + 99_999, bytes.count)]))
            while let frame = try decoder.next() { frames.append(frame) }
        }
        #expect(frames.map(\.payload) == [Self.payload])
    }

    /// A header may announce any length: above the limit it is refused from the header
    /// alone, before anything is allocated for it (RFC 6455 §10.4).
    @Test(arguments: [(64 << 20) + 1, 1 << 40, (1 << 63) - 1] as [UInt64])
    func lyingLengthAboveTheLimitIsRefusedFromTheHeader(length: UInt64) throws {
        var decoder = FrameDecoder(role: .client, maxFrameSize: 64 << 20)
        decoder.append([0x82, 127] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: length >> ($0 * 8)) })
        #expect(throws: ProtocolViolation.messageTooBig(size: length, limit: 64 << 20)) { try decoder.next() }
        #expect(decoder.largePayloadRemaining == 0)
    }

    /// Under the limit, a length whose bytes never come leaves the frame waiting, with
    /// exactly its missing bytes to read.
    @Test func largeLengthUnderTheLimitWaitsForItsBytes() throws {
        var decoder = FrameDecoder(role: .client, maxFrameSize: 64 << 20)
        let length = 48 << 20
        let lengthBytes = (0..<8).reversed().map { UInt8(truncatingIfNeeded: length >> ($0 * 8)) }
        decoder.append([0x82, 127] + lengthBytes + [1, 2, 3])
        #expect(try decoder.next() == nil)
        #expect(decoder.largePayloadRemaining == length - 3)
    }

    // MARK: Through the connection

    static func serverFrame(_ opcode: Opcode, _ payload: [UInt8], fin: Bool = true, rsv1: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        let frame = Frame(fin: fin, rsv1: rsv1, opcode: opcode, payload: payload)
        FrameEncoder.encode(frame, maskingKey: nil, into: &bytes)
        return bytes
    }

    /// Feeds `bytes` to a connection as `ConnectionLoop` does.
    static func receive(_ bytes: [UInt8], into connection: inout WebSocketConnection) -> [ConnectionEvent] {
        var events: [ConnectionEvent] = []
        var offset = 0
        while offset < bytes.count, connection.state != .closed {
            if connection.largePayloadRemaining > 0 {
                let read = Self.read(bytes, from: offset, chunk: 262_144)
                offset += connection.receiveLargePayload(into: &events, reading: read)
            } else {
                let end = min(offset + 262_144, bytes.count)
                bytes[offset..<end].withUnsafeBytes { connection.receive($0, into: &events) }
                offset = end
            }
        }
        return events
    }

    @Test func largeFragmentsMakeOneMessage() {
        var connection = WebSocketConnection(role: .client, maxMessageSize: 8 << 20)
        let second = Self.payload.reversed() as [UInt8]
        let bytes =
            Self.serverFrame(.binary, Self.payload, fin: false) + Self.serverFrame(.continuation, [5], fin: false)
            + Self.serverFrame(.continuation, second) + Self.serverFrame(.text, [104, 105])
        let events = Self.receive(bytes, into: &connection)
        #expect(events == [.binary(Self.payload + [5] + second), .text("hi")])
    }

    /// A later fragment that would take the message over the limit is refused from its
    /// header, with the size the message would have had (RFC 6455 §7.4.1, 1009).
    @Test func limitHitByALaterFragmentFailsFromItsHeader() {
        let limit = 3 << 20
        var connection = WebSocketConnection(role: .client, maxMessageSize: limit)
        let bytes =
            Self.serverFrame(.binary, Self.payload, fin: false) + Self.serverFrame(.continuation, Self.payload)
        let events = Self.receive(bytes, into: &connection)
        let size = UInt64(2 * Self.payload.count)
        #expect(events == [.protocolViolation(.messageTooBig(size: size, limit: limit))])
        #expect(connection.largePayloadRemaining == 0)
    }

    /// Deterministic bytes that do not compress, so that their compressed frame is large too.
    static func noise(_ count: Int) -> [UInt8] {
        var state: UInt64 = 11
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test func largeCompressedMessageIsInflated() throws {
        let message = Self.noise(3 << 19)
        var deflater = try #require(MessageDeflater(windowBits: 15, noContextTakeover: false))
        let compressed = deflater.compress(message)
        #expect(compressed.count >= 1 << 20)
        var connection = WebSocketConnection(role: .client, maxMessageSize: 2 << 20, deflate: DeflateParameters())
        let bytes = Self.serverFrame(.binary, compressed, rsv1: true) + Self.serverFrame(.text, [104, 105])
        #expect(Self.receive(bytes, into: &connection) == [.binary(message), .text("hi")])
    }

    /// A large compressed frame within the compressed bound whose inflated bytes pass
    /// the limit: refused at the first byte over it (RFC 7692 §8.1 leaves the limit to us).
    @Test func largeCompressedMessageOverTheLimitFails() throws {
        let limit = 2 << 20
        var deflater = try #require(MessageDeflater(windowBits: 15, noContextTakeover: false))
        let compressed = deflater.compress(Self.noise(limit + (64 << 10)))
        #expect(compressed.count >= 1 << 20)
        var connection = WebSocketConnection(role: .client, maxMessageSize: limit, deflate: DeflateParameters())
        let events = Self.receive(Self.serverFrame(.binary, compressed, rsv1: true), into: &connection)
        guard case .protocolViolation(.messageTooBig(let size, limit))? = events.first else {
            Issue.record("expected messageTooBig, got \(events)")
            return
        }
        #expect(size > UInt64(limit))
    }

    /// A large text message is validated on its buffer (RFC 6455 §8.1) like a small one.
    @Test(arguments: [false, true])
    func largeTextIsValidated(valid: Bool) {
        var text = [UInt8](repeating: 0x61, count: (1 << 20) + 3)
        text[text.count - 2] = valid ? 0xC3 : 0xFF
        text[text.count - 1] = 0xA9
        var connection = WebSocketConnection(role: .client, maxMessageSize: 2 << 20)
        let events = Self.receive(Self.serverFrame(.text, text), into: &connection)
        let expected: ConnectionEvent =
            valid ? .text(String(decoding: text, as: UTF8.self)) : .protocolViolation(.invalidUTF8InText)
        #expect(events == [expected])
    }

    // MARK: Through the session machine

    /// As `ConnectionLoop` drives it: the header in an ordinary read, then the payload read
    /// straight into the frame's buffer, and the message comes out as one `received` action
    /// that completes `--count 1`.
    @Test func sessionReceivesALargeMessageReadIntoItsBuffer() {
        var script = SessionScript()
        script.count = 1
        var session = SessionHarness(script)
        session.open()
        let bytes = Self.serverFrame(.binary, Self.payload)
        session.server(Array(bytes[..<1000]))
        #expect(session.machine.largePayloadRemaining == bytes.count - 1000)
        var offset = 1000
        while session.machine.largePayloadRemaining > 0 {
            var out: [SessionAction] = []
            let read = Self.read(bytes, from: offset, chunk: 300_000)
            offset += session.machine.receiveLargePayload(now: session.now, into: &out, reading: read)
            session.record(out)
        }
        #expect(offset == bytes.count)
        let received = session.log.compactMap { action -> [UInt8]? in
            if case .received(.binary(let bytes)) = action { bytes } else { nil }
        }
        #expect(received == [Self.payload])
        #expect(session.sentCloses == [1000], "--count 1 is satisfied, so wsauth closes")
    }
}
