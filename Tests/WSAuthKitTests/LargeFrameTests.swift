import Testing

@testable import WSAuthKit

/// Large unmasked payloads are handed over without a copy when they end the buffer;
/// the bytes must be the same either way.
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
}
