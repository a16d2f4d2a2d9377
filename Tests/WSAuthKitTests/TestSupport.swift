@testable import WSAuthKit

/// Bytes from a hex string such as "81 05 48 65"; spaces are ignored.
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

/// A frame as a server sends it: unmasked.
func serverFrame(_ opcode: Opcode, _ payload: [UInt8], fin: Bool = true) -> [UInt8] {
    var bytes: [UInt8] = []
    FrameEncoder.encode(Frame(fin: fin, opcode: opcode, payload: payload), maskingKey: nil, into: &bytes)
    return bytes
}

/// A close frame body: big-endian code, then the reason.
func closeBody(_ code: UInt16, _ reason: String = "") -> [UInt8] {
    [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8)
}

/// Decodes all whole frames in `bytes`.
func decodeAll(
    _ bytes: [UInt8],
    role: Role = .client,
    maxFrameSize: Int = 1 << 30,
    allowRSV1: Bool = false
)
    throws -> [Frame]
{
    var decoder = FrameDecoder(role: role, maxFrameSize: maxFrameSize, allowRSV1: allowRSV1)
    decoder.append(bytes)
    var frames: [Frame] = []
    while let frame = try decoder.next() { frames.append(frame) }
    return frames
}

/// The violation a decoder reports for `bytes`, or nil when it reports none.
func violation(
    decoding bytes: [UInt8],
    role: Role = .client,
    maxFrameSize: Int = 1 << 30,
    allowRSV1: Bool = false
)
    -> ProtocolViolation?
{
    var decoder = FrameDecoder(role: role, maxFrameSize: maxFrameSize, allowRSV1: allowRSV1)
    decoder.append(bytes)
    do {
        while try decoder.next() != nil {}
        return nil
    } catch {
        return error
    }
}
