/// Turns frames into wire bytes (RFC 6455 §5.2).
public enum FrameEncoder {
    /// Appends `frame` to `buffer`, with the payload length in its minimal form
    /// (7, 16 or 64 bits; RFC 6455 §5.2 "the minimal number of bytes MUST be used"), and
    /// masks the payload when a 4-byte `maskingKey` is given (a client must; §5.3).
    public static func encode(_ frame: Frame, maskingKey: [UInt8]?, into buffer: inout [UInt8]) {
        var first = frame.opcode.rawValue
        if frame.fin { first |= 0x80 }
        if frame.rsv1 { first |= 0x40 }
        if frame.rsv2 { first |= 0x20 }
        if frame.rsv3 { first |= 0x10 }
        buffer.append(first)

        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        let length = frame.payload.count
        if length < 126 {
            buffer.append(maskBit | UInt8(length))
        } else if length <= Int(UInt16.max) {
            buffer.append(maskBit | 126)
            buffer.append(UInt8(length >> 8))
            buffer.append(UInt8(length & 0xFF))
        } else {
            buffer.append(maskBit | 127)
            let length64 = UInt64(length)
            for shift in stride(from: 56, through: 0, by: -8) {
                buffer.append(UInt8(truncatingIfNeeded: length64 >> UInt64(shift)))
            }
        }

        guard let key = maskingKey else {
            buffer.append(contentsOf: frame.payload)
            return
        }
        buffer.append(contentsOf: key)
        let start = buffer.count
        buffer.append(contentsOf: frame.payload)
        buffer.withUnsafeMutableBytes { bytes in
            let region = UnsafeMutableRawBufferPointer(rebasing: bytes[start...])
            Masking.apply(key: key, from: UnsafeRawBufferPointer(region), to: region)
        }
    }
}
