import Testing

@testable import WSAuthKit

/// A frame as a server sends it (unmasked), with RSV1 as given.
private func frame(_ opcode: Opcode, _ payload: [UInt8], fin: Bool = true, rsv1: Bool = false) -> [UInt8] {
    var bytes: [UInt8] = []
    FrameEncoder.encode(Frame(fin: fin, rsv1: rsv1, opcode: opcode, payload: payload), maskingKey: nil, into: &bytes)
    return bytes
}

/// What a client-role connection queued, unmasked by a server-role decoder that accepts RSV1.
private func sentFrames(_ connection: inout WebSocketConnection) throws -> [Frame] {
    var decoder = FrameDecoder(role: .server, maxFrameSize: 1 << 30, allowRSV1: true)
    decoder.append(connection.takeOutbound())
    var frames: [Frame] = []
    while let frame = try decoder.next() { frames.append(frame) }
    return frames
}

private func client(
    _ parameters: DeflateParameters = DeflateParameters(),
    maxMessageSize: Int = 1 << 20
)
    -> WebSocketConnection
{
    WebSocketConnection(role: .client, maxMessageSize: maxMessageSize, deflate: parameters)
}

/// Deterministic bytes that do not compress.
private func noise(_ count: Int, seed: UInt64 = 7) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}

/// DEFLATE data (as a sender would put in a frame, flush tail removed) that inflates to
/// `size` zero bytes (whole MiB): about a kilobyte per MiB.
private func bomb(inflatingTo size: Int) -> [UInt8] {
    let stream = ZlibStream(deflateWindowBits: 15)
    let chunk = [UInt8](repeating: 0, count: 1 << 20)
    var output: [UInt8] = []
    for _ in 0..<(size >> 20) {
        try? stream.process(chunk, into: &output)
    }
    return Array(output.dropLast(4))
}

@Suite("permessage-deflate messages")
struct PerMessageDeflateTests {
    // MARK: RFC 7692 §7.2.3 examples

    /// §7.2.3.1: "Hello" compressed, in one frame.
    @Test func helloIsInflated() {
        var connection = client()
        #expect(connection.receive(hex("c1 07 f2 48 cd c9 c9 07 00")) == [.text("Hello")])
    }

    @Test func helloIsCompressedAsTheRFCShows() throws {
        var server = WebSocketConnection(role: .server, deflate: DeflateParameters())
        server.sendText("Hello")
        #expect(server.takeOutbound() == hex("c1 07 f2 48 cd c9 c9 07 00"))

        var connection = client()
        connection.sendText("Hello")
        #expect(try sentFrames(&connection) == [Frame(rsv1: true, opcode: .text, payload: hex("f2 48 cd c9 c9 07 00"))])
    }

    /// §7.2.3.2: the second "Hello" refers back into the first one's window.
    @Test func contextIsTakenOverBetweenMessages() {
        var connection = client()
        let events = connection.receive(hex("c1 07 f2 48 cd c9 c9 07 00") + hex("c1 05 f2 00 11 00 00"))
        #expect(events == [.text("Hello"), .text("Hello")])

        var server = WebSocketConnection(role: .server, deflate: DeflateParameters())
        server.sendText("Hello")
        server.sendText("Hello")
        #expect(server.takeOutbound() == hex("c1 07 f2 48 cd c9 c9 07 00") + hex("c1 05 f2 00 11 00 00"))
    }

    /// §7.2.3.1 again, fragmented: RSV1 on the first frame only.
    @Test func fragmentedCompressedMessage() {
        let wire = hex("41 03 f2 48 cd") + hex("80 04 c9 c9 07 00")
        for cut in 0...wire.count {
            var connection = client()
            let events = connection.receive(Array(wire[..<cut])) + connection.receive(Array(wire[cut...]))
            #expect(events == [.text("Hello")], "cut at \(cut)")
        }
    }

    /// Control frames may sit between the fragments of a compressed message.
    @Test func fragmentsWithAPingBetween() throws {
        var connection = client()
        let events = connection.receive(
            frame(.binary, hex("f2 48"), fin: false, rsv1: true) + frame(.ping, [1])
                + frame(.continuation, hex("cd c9 c9"), fin: false) + frame(.continuation, hex("07 00"))
        )
        #expect(events == [.ping([1]), .binary(Array("Hello".utf8))])
    }

    /// §7.2.3.4: a stored (uncompressed) DEFLATE block.
    @Test func storedBlock() {
        var connection = client()
        #expect(connection.receive(hex("c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00")) == [.text("Hello")])
    }

    /// §7.2.3.5: a sender may end with BFINAL set; the next message is a new stream.
    @Test func finalBlockStartsANewStream() {
        var connection = client()
        let events = connection.receive(hex("c1 07 f3 48 cd c9 c9 07 00") + hex("c1 07 f2 48 cd c9 c9 07 00"))
        #expect(events == [.text("Hello"), .text("Hello")])
    }

    /// §7.2.3.6: an empty message compresses to the single byte 00.
    @Test func emptyMessage() throws {
        var connection = client()
        #expect(connection.receive(hex("c1 01 00") + hex("c2 00")) == [.text(""), .binary([])])
        connection.sendBinary([])
        #expect(try sentFrames(&connection) == [Frame(rsv1: true, opcode: .binary, payload: [0x00])])
    }

    /// An empty compressed payload has no block at all; it is taken as an empty message.
    @Test func emptyPayloadWithRSV1() {
        var connection = client(DeflateParameters(serverNoContextTakeover: true))
        #expect(connection.receive(hex("c1 00") + hex("c1 00")) == [.text(""), .text("")])
    }

    /// RSV1 is per message: an uncompressed one is fine on a deflate connection.
    @Test func uncompressedMessagesStillArrive() {
        var connection = client()
        #expect(
            connection.receive(hex("81 05 48 65 6c 6c 6f") + frame(.binary, [1, 2])) == [
                .text("Hello"), .binary([1, 2]),
            ]
        )
    }

    // MARK: Context takeover

    /// server_no_context_takeover: the window is dropped after each message, so a
    /// message that refers back into the previous one cannot inflate.
    @Test func serverNoContextTakeoverResetsTheInflater() {
        var connection = client(DeflateParameters(serverNoContextTakeover: true))
        let events = connection.receive(hex("c1 07 f2 48 cd c9 c9 07 00") + hex("c1 07 f2 48 cd c9 c9 07 00"))
        #expect(events == [.text("Hello"), .text("Hello")])

        var strict = client(DeflateParameters(serverNoContextTakeover: true))
        let refused = strict.receive(hex("c1 07 f2 48 cd c9 c9 07 00") + hex("c1 05 f2 00 11 00 00"))
        #expect(refused.first == .text("Hello"))
        guard case .protocolViolation(.invalidCompressedData) = refused.last else {
            Issue.record("expected invalid compressed data, got \(refused)")
            return
        }
        #expect(strict.sentCloseCode == .protocolError)
    }

    @Test func clientNoContextTakeoverResetsTheDeflater() throws {
        var connection = client(DeflateParameters(clientNoContextTakeover: true))
        connection.sendText("Hello")
        connection.sendText("Hello")
        let hello = Frame(rsv1: true, opcode: .text, payload: hex("f2 48 cd c9 c9 07 00"))
        #expect(try sentFrames(&connection) == [hello, hello])

        var takeover = client()
        takeover.sendText("Hello")
        takeover.sendText("Hello")
        #expect(try sentFrames(&takeover).map(\.payload) == [hex("f2 48 cd c9 c9 07 00"), hex("f2 00 11 00 00")])
    }

    /// A connection is a value: a copy taken mid-stream inflates and deflates on its own.
    @Test func copiesDoNotShareZlibState() throws {
        var original = client()
        #expect(original.receive(hex("c1 07 f2 48 cd c9 c9 07 00")) == [.text("Hello")])
        var copy = original
        #expect(original.receive(hex("c1 05 f2 00 11 00 00")) == [.text("Hello")])
        #expect(copy.receive(hex("c1 05 f2 00 11 00 00")) == [.text("Hello")])

        original.sendText("Hello")
        var second = original
        original.sendText("Hello")
        second.sendText("Hello")
        #expect(try sentFrames(&original).last?.payload == hex("f2 00 11 00 00"))
        #expect(try sentFrames(&second).last?.payload == hex("f2 00 11 00 00"))
    }

    // MARK: Round trips

    @Test(arguments: [8, 9, 12, 15])
    func roundTripsThroughAServer(clientBits: Int) throws {
        let parameters = DeflateParameters(serverMaxWindowBits: 10, clientMaxWindowBits: clientBits)
        var sender = client(parameters, maxMessageSize: 4 << 20)
        var receiver = WebSocketConnection(role: .server, maxMessageSize: 4 << 20, deflate: parameters)
        let messages: [[UInt8]] = [
            [], [0x41], noise(1000), noise(200_000), [UInt8](repeating: 0x61, count: 1 << 20),
            Array(String(repeating: "wsauth ", count: 10_000).utf8),
        ]
        for message in messages { sender.sendBinary(message) }
        let wire = sender.takeOutbound()
        #expect(receiver.receive(wire) == messages.map { .binary($0) })
        // An 8-bit window cannot be made by zlib: those messages went uncompressed.
        let frames = try decodeAll(wire, role: .server, allowRSV1: true)
        #expect(frames.allSatisfy { $0.rsv1 == (clientBits != 8) })
        #expect(clientBits == 8 || wire.count < 300_000)

        for message in messages { receiver.sendBinary(message) }
        #expect(sender.receive(receiver.takeOutbound()) == messages.map { .binary($0) })
    }

    // MARK: Violations

    @Test func rsv1OnAContinuationFrame() throws {
        var connection = client()
        let events = connection.receive(
            frame(.text, hex("f2 48"), fin: false, rsv1: true) + frame(.continuation, hex("cd c9 c9 07 00"), rsv1: true)
        )
        #expect(events == [.protocolViolation(.misplacedCompressionBit(.continuation))])
        #expect(connection.sentCloseCode == .protocolError)
    }

    @Test(arguments: [Opcode.ping, .pong, .close])
    func rsv1OnAControlFrame(opcode: Opcode) {
        var connection = client()
        let events = connection.receive(frame(opcode, [], rsv1: true))
        #expect(events == [.protocolViolation(.misplacedCompressionBit(opcode))])
        #expect(connection.sentCloseCode == .protocolError)
        #expect(connection.state == .closeSent)
    }

    @Test func rsv1WithoutNegotiationIsStillRefused() {
        var connection = WebSocketConnection()
        #expect(
            connection.receive(hex("c1 07 f2 48 cd c9 c9 07 00"))
                == [.protocolViolation(.reservedBitsSet(rsv1: true, rsv2: false, rsv3: false))]
        )
    }

    @Test func rsv2IsRefusedEvenWithDeflate() {
        var connection = client()
        #expect(
            connection.receive(hex("e1 07 f2 48 cd c9 c9 07 00"))
                == [.protocolViolation(.reservedBitsSet(rsv1: false, rsv2: true, rsv3: false))]
        )
    }

    @Test func corruptDataFailsWith1002() {
        var connection = client()
        let events = connection.receive(frame(.binary, [0xff, 0xff, 0xff], rsv1: true))
        guard case .protocolViolation(.invalidCompressedData(let detail)) = events.last else {
            Issue.record("expected invalid compressed data, got \(events)")
            return
        }
        #expect(detail == "invalid block type")
        #expect(connection.sentCloseCode == .protocolError)
    }

    @Test func invalidUTF8InsideCompressedText() {
        var sender = WebSocketConnection(role: .server, deflate: DeflateParameters())
        sender.sendBinary([0xce, 0xba, 0xed, 0xa0, 0x80])
        var wire = sender.takeOutbound()
        wire[0] = 0xc1  // the same payload, as a text message
        var connection = client()
        #expect(connection.receive(wire) == [.protocolViolation(.invalidUTF8InText)])
        #expect(connection.sentCloseCode == .invalidPayload)
    }

    // MARK: The size limit applies to inflated bytes

    /// A decompression bomb: about a megabyte that inflates to 1 GiB. The inflater stops
    /// at the first byte over the limit, and its output never grows past the limit plus
    /// one chunk, however far the input would still expand.
    @Test func bombIsStoppedAtTheLimitWithoutGrowingPastIt() throws {
        let gibibyteBomb = bomb(inflatingTo: 1 << 30)
        #expect(gibibyteBomb.count < 1_100_000)
        let limit = 1 << 20
        var inflater = MessageInflater(noContextTakeover: false)
        var output: [UInt8] = []
        #expect(throws: ZlibStream.Failure.outputLimitExceeded(size: limit + 1)) {
            try inflater.inflate(gibibyteBomb, into: &output, limit: limit)
        }
        #expect(output.count == limit + 1)
        #expect(output.capacity <= limit + ZlibStream.chunkSize)

        var connection = client(maxMessageSize: limit)
        let events = connection.receive(frame(.binary, gibibyteBomb, rsv1: true))
        #expect(events == [.protocolViolation(.messageTooBig(size: UInt64(limit + 1), limit: limit))])
        #expect(connection.sentCloseCode == .messageTooBig)
        #expect(connection.state == .closeSent)
    }

    @Test func limitCountsInflatedBytesAcrossFragments() {
        let limit = 100_000
        let payload = bomb(inflatingTo: 1 << 20)
        let half = payload.count / 2
        var connection = client(maxMessageSize: limit)
        let events = connection.receive(
            frame(.binary, Array(payload[..<half]), fin: false, rsv1: true)
                + frame(.continuation, Array(payload[half...]))
        )
        #expect(events == [.protocolViolation(.messageTooBig(size: UInt64(limit + 1), limit: limit))])
    }

    @Test func messageOfExactlyTheLimitInflates() {
        var sender = WebSocketConnection(role: .server, deflate: DeflateParameters())
        sender.sendBinary(noise(4096))
        var connection = client(maxMessageSize: 4096)
        #expect(connection.receive(sender.takeOutbound()) == [.binary(noise(4096))])
    }

    /// With deflate on, the decoder allows for compression overhead, so an uncompressed
    /// message over the limit is caught by the connection.
    @Test func uncompressedMessageOverTheLimit() {
        var connection = client(maxMessageSize: 100)
        #expect(
            connection.receive(frame(.binary, [UInt8](repeating: 1, count: 101)))
                == [.protocolViolation(.messageTooBig(size: 101, limit: 100))]
        )
        #expect(connection.sentCloseCode == .messageTooBig)
    }

    @Test func compressedFrameFarOverTheLimitIsRefusedFromItsHeader() {
        var connection = client(maxMessageSize: 1000)
        let events = connection.receive(hex("c2 7e 10 00"))  // a 4096-byte frame announced
        #expect(events == [.protocolViolation(.messageTooBig(size: 4096, limit: 1000))])
    }
}
