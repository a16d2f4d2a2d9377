import Testing

@testable import WSAuthKit

@Suite("Frame codec")
struct FrameCodecTests {
    // MARK: RFC 6455 §5.7 examples

    @Test func unmaskedHello() throws {
        let wire = hex("81 05 48 65 6c 6c 6f")
        #expect(try decodeAll(wire) == [Frame(opcode: .text, payload: Array("Hello".utf8))])
        var encoded: [UInt8] = []
        FrameEncoder.encode(Frame(opcode: .text, payload: Array("Hello".utf8)), maskingKey: nil, into: &encoded)
        #expect(encoded == wire)
    }

    @Test func maskedHello() throws {
        let wire = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")
        #expect(try decodeAll(wire, role: .server) == [Frame(opcode: .text, payload: Array("Hello".utf8))])
        var encoded: [UInt8] = []
        FrameEncoder.encode(
            Frame(opcode: .text, payload: Array("Hello".utf8)),
            maskingKey: hex("37 fa 21 3d"),
            into: &encoded
        )
        #expect(encoded == wire)
    }

    @Test func fragmentedHello() throws {
        let frames = try decodeAll(hex("01 03 48 65 6c") + hex("80 02 6c 6f"))
        #expect(
            frames == [
                Frame(fin: false, opcode: .text, payload: Array("Hel".utf8)),
                Frame(opcode: .continuation, payload: Array("lo".utf8)),
            ]
        )
    }

    @Test func unmaskedPing() throws {
        #expect(try decodeAll(hex("89 05 48 65 6c 6c 6f")) == [Frame(opcode: .ping, payload: Array("Hello".utf8))])
    }

    @Test func maskedPong() throws {
        let wire = hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58")
        #expect(try decodeAll(wire, role: .server) == [Frame(opcode: .pong, payload: Array("Hello".utf8))])
    }

    @Test func binary256BytesUses16BitLength() throws {
        let payload = (0..<256).map { UInt8($0 & 0xFF) }
        var encoded: [UInt8] = []
        FrameEncoder.encode(Frame(opcode: .binary, payload: payload), maskingKey: nil, into: &encoded)
        #expect(Array(encoded.prefix(4)) == hex("82 7E 01 00"))
        #expect(encoded.count == 4 + 256)
        #expect(try decodeAll(encoded) == [Frame(opcode: .binary, payload: payload)])
    }

    @Test func binary64KiBUses64BitLength() throws {
        let payload = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var encoded: [UInt8] = []
        FrameEncoder.encode(Frame(opcode: .binary, payload: payload), maskingKey: nil, into: &encoded)
        #expect(Array(encoded.prefix(10)) == hex("82 7F 00 00 00 00 00 01 00 00"))
        #expect(try decodeAll(encoded) == [Frame(opcode: .binary, payload: payload)])
    }

    // MARK: Encoding

    @Test(arguments: [(0, 2), (125, 2), (126, 4), (65535, 4), (65536, 10)])
    func roundTripUsesMinimalLength(size: Int, headerLength: Int) throws {
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
        let frame = Frame(opcode: .binary, payload: payload)

        var plain: [UInt8] = []
        FrameEncoder.encode(frame, maskingKey: nil, into: &plain)
        #expect(plain.count == headerLength + size)
        #expect(try decodeAll(plain) == [frame])

        var masked: [UInt8] = []
        FrameEncoder.encode(frame, maskingKey: hex("a1 b2 c3 d4"), into: &masked)
        #expect(masked.count == headerLength + 4 + size)
        #expect(masked[1] & 0x80 != 0)
        #expect(try decodeAll(masked, role: .server) == [frame])
    }

    @Test func maskingMatchesTheBytewiseDefinition() {
        // Odd lengths exercise the word loop and the tail; §5.3: j = i MOD 4.
        let key = hex("01 80 ff 3c")
        for size in [1, 3, 7, 8, 9, 15, 16, 17, 1000, 1003] {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            var encoded: [UInt8] = []
            FrameEncoder.encode(Frame(opcode: .binary, payload: payload), maskingKey: key, into: &encoded)
            let expected = payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
            #expect(Array(encoded.suffix(size)) == expected, "size \(size)")
        }
    }

    @Test func encodesFlagsAndAppendsToExistingBytes() {
        var buffer: [UInt8] = [0xAA]
        FrameEncoder.encode(
            Frame(fin: false, rsv1: true, rsv2: true, rsv3: true, opcode: .continuation, payload: []),
            maskingKey: nil,
            into: &buffer
        )
        #expect(buffer == hex("AA 70 00"))
    }

    // MARK: Incremental decoding

    @Test func decodesTheSameWhenSplitAtEveryByte() throws {
        let frames = [
            Frame(fin: false, opcode: .text, payload: Array("Hel".utf8)),
            Frame(opcode: .ping, payload: [1, 2, 3]),
            Frame(opcode: .continuation, payload: Array("lo".utf8)),
            Frame(opcode: .binary, payload: (0..<300).map { UInt8($0 & 0xFF) }),
            Frame(opcode: .binary, payload: (0..<70000).map { UInt8(truncatingIfNeeded: $0) }),
            Frame(opcode: .close, payload: closeBody(1000)),
        ]
        for key in [nil, hex("37 fa 21 3d")] {
            var wire: [UInt8] = []
            for frame in frames { FrameEncoder.encode(frame, maskingKey: key, into: &wire) }
            let role: Role = key == nil ? .client : .server
            // Every split of the first 400 bytes, then a few into the large frame.
            for split in Array(0...400) + [wire.count - 70001, wire.count - 5, wire.count - 1] {
                var decoder = FrameDecoder(role: role, maxFrameSize: 1 << 20)
                var decoded: [Frame] = []
                decoder.append(Array(wire[..<split]))
                while let frame = try decoder.next() { decoded.append(frame) }
                decoder.append(Array(wire[split...]))
                while let frame = try decoder.next() { decoded.append(frame) }
                #expect(decoded == frames, "split at \(split)")
            }
        }
    }

    @Test func decodesOneByteAtATime() throws {
        var wire: [UInt8] = []
        let frames = (0..<20).map { Frame(opcode: .text, payload: Array("message \($0)".utf8)) }
        for frame in frames { FrameEncoder.encode(frame, maskingKey: nil, into: &wire) }
        var decoder = FrameDecoder(role: .client, maxFrameSize: 1024)
        var decoded: [Frame] = []
        for byte in wire {
            decoder.append([byte])
            while let frame = try decoder.next() { decoded.append(frame) }
        }
        #expect(decoded == frames)
    }

    @Test func returnsNilUntilTheFrameIsComplete() throws {
        var decoder = FrameDecoder(role: .client, maxFrameSize: 1024)
        decoder.append(hex("81 05 48 65"))
        #expect(try decoder.next() == nil)
        #expect(try decoder.next() == nil)
        decoder.append(hex("6c 6c 6f 89"))
        #expect(try decoder.next() == Frame(opcode: .text, payload: Array("Hello".utf8)))
        #expect(try decoder.next() == nil)
    }

    @Test func appendsFromARawBuffer() throws {
        var decoder = FrameDecoder(role: .client, maxFrameSize: 1024)
        hex("82 02 01 02").withUnsafeBytes { decoder.append($0) }
        #expect(try decoder.next() == Frame(opcode: .binary, payload: [1, 2]))
    }

    /// `next(lending:)` shows a buffered frame's bytes in place, unmasked, and a frame it
    /// declines comes out as `next()` gives it; the next frame decodes either way.
    @Test func lendsABufferedFrameInPlaceUnmasked() throws {
        let frames = [Frame(opcode: .text, payload: Array("Hello".utf8)), Frame(opcode: .binary, payload: [1, 2, 3])]
        var wire: [UInt8] = []
        for frame in frames { FrameEncoder.encode(frame, maskingKey: hex("37 fa 21 3d"), into: &wire) }
        var decoder = FrameDecoder(role: .server, maxFrameSize: 1024)
        decoder.append(wire)
        let lend: (Frame, UnsafeRawBufferPointer) -> [UInt8]? = { header, bytes in
            header.opcode == .text ? Array(bytes) : nil
        }
        guard case .made(let text)? = try decoder.next(lending: lend) else {
            Issue.record("the text frame was not lent")
            return
        }
        #expect(text == Array("Hello".utf8))
        guard case .frame(let binary)? = try decoder.next(lending: lend) else {
            Issue.record("a declined frame must come out whole")
            return
        }
        #expect(binary == frames[1])
        #expect(try decoder.next(lending: lend) == nil)
    }

    /// A payload large enough to be handed over is not lent: it is already its own array.
    @Test func aHandedOverFrameIsNotLent() throws {
        var wire: [UInt8] = []
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0) }
        FrameEncoder.encode(Frame(opcode: .binary, payload: payload), maskingKey: nil, into: &wire)
        var decoder = FrameDecoder(role: .client, maxFrameSize: 2 << 20)
        decoder.append(wire)
        guard case .frame(let frame)? = try decoder.next(lending: { _, _ in true }) else {
            Issue.record("a handed-over frame was lent")
            return
        }
        #expect(frame.payload == payload)
    }

    // MARK: Violations a single frame can commit

    @Test func reservedBitsAreRefused() {
        #expect(violation(decoding: hex("c1 00")) == .reservedBitsSet(rsv1: true, rsv2: false, rsv3: false))
        #expect(violation(decoding: hex("a1 00")) == .reservedBitsSet(rsv1: false, rsv2: true, rsv3: false))
        #expect(violation(decoding: hex("91 00")) == .reservedBitsSet(rsv1: false, rsv2: false, rsv3: true))
        #expect(violation(decoding: hex("f1 00")) == .reservedBitsSet(rsv1: true, rsv2: true, rsv3: true))
    }

    @Test func rsv1IsAllowedOnceAnExtensionIsNegotiated() throws {
        #expect(violation(decoding: hex("c1 01 00"), allowRSV1: true) == nil)
        #expect(
            violation(decoding: hex("e1 00"), allowRSV1: true) == .reservedBitsSet(rsv1: false, rsv2: true, rsv3: false)
        )
        var decoder = FrameDecoder(role: .client, maxFrameSize: 16, allowRSV1: true)
        decoder.append(hex("c1 01 00"))
        #expect(try decoder.next() == Frame(rsv1: true, opcode: .text, payload: [0]))
    }

    @Test(arguments: [3, 4, 5, 6, 7, 11, 12, 13, 14, 15] as [UInt8])
    func unknownOpcodesAreRefused(opcode: UInt8) {
        #expect(violation(decoding: [0x80 | opcode, 0x00]) == .unknownOpcode(opcode))
    }

    @Test func maskingDirectionIsEnforced() {
        #expect(violation(decoding: hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), role: .client) == .maskedFrameFromServer)
        #expect(violation(decoding: hex("81 05 48 65 6c 6c 6f"), role: .server) == .unmaskedFrameFromClient)
    }

    @Test func controlFramesMustNotBeFragmented() {
        #expect(violation(decoding: hex("09 00")) == .fragmentedControlFrame(.ping))
        #expect(violation(decoding: hex("08 00")) == .fragmentedControlFrame(.close))
    }

    @Test func controlFramesCarryAtMost125Bytes() {
        #expect(violation(decoding: [0x89, 125] + Array(repeating: 0, count: 125)) == nil)
        #expect(violation(decoding: hex("89 7e 00 7e")) == .controlFrameTooLong(.ping, length: 126))
        // Refused from the header: the payload never arrives.
        #expect(violation(decoding: hex("88 7e 01 00")) == .controlFrameTooLong(.close, length: 256))
    }

    @Test func sixtyFourBitLengthWithTopBitIsRefused() {
        #expect(violation(decoding: hex("82 7f 80 00 00 00 00 00 00 00")) == .lengthTopBitSet)
    }

    @Test func oversizedFrameIsRefusedFromItsHeader() {
        // Only the header is there: the refusal must not wait for 1 MiB of payload.
        #expect(
            violation(decoding: hex("82 7f 00 00 00 00 00 10 00 00"), maxFrameSize: 1 << 16)
                == .messageTooBig(size: 1 << 20, limit: 1 << 16)
        )
        #expect(violation(decoding: hex("82 7e 00 11"), maxFrameSize: 16) == .messageTooBig(size: 17, limit: 16))
        #expect(violation(decoding: [0x82, 16] + Array(repeating: 0, count: 16), maxFrameSize: 16) == nil)
    }

    @Test func aViolationIsFinal() throws {
        var decoder = FrameDecoder(role: .client, maxFrameSize: 1024)
        decoder.append(hex("c1 00"))
        #expect(throws: ProtocolViolation.reservedBitsSet(rsv1: true, rsv2: false, rsv3: false)) { try decoder.next() }
        decoder.append(hex("81 00"))
        #expect(throws: ProtocolViolation.reservedBitsSet(rsv1: true, rsv2: false, rsv3: false)) { try decoder.next() }
    }
}
