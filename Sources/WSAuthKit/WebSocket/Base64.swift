/// Base64 (RFC 4648 §4) and unpadded base64url (§5): the handshake key and accept value
/// need the first, tokens placed in a subprotocol need the second. Hand-written to keep
/// Foundation out of the protocol core.
public enum Base64 {
    private static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let url = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Standard alphabet, padded with "=".
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        encode(Array(bytes), alphabet: standard, pad: true)
    }

    /// URL-safe alphabet without padding, as JWTs and Kubernetes' bearer subprotocol use.
    public static func encodeURLUnpadded(_ bytes: some Collection<UInt8>) -> String {
        encode(Array(bytes), alphabet: url, pad: false)
    }

    /// Decodes either alphabet, with or without padding (tokens come both ways); nil for
    /// any other character, misplaced or wrong padding, or an impossible length.
    public static func decode(_ text: String) -> [UInt8]? {
        var symbols = Array(text.utf8)
        if let firstPad = symbols.firstIndex(of: UInt8(ascii: "=")) {
            guard symbols.count % 4 == 0, symbols.count - firstPad <= 2,
                symbols[firstPad...].allSatisfy({ $0 == UInt8(ascii: "=") })
            else { return nil }
            symbols.removeSubrange(firstPad...)
        }
        // A lone symbol in the last group carries only 6 bits: not even one byte.
        guard symbols.count % 4 != 1 else { return nil }

        var output: [UInt8] = []
        output.reserveCapacity(symbols.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            guard let value = sextet(symbol) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

    private static func sextet(_ symbol: UInt8) -> UInt8? {
        switch symbol {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): symbol - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): symbol - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): symbol - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }

    private static func encode(_ bytes: [UInt8], alphabet: [UInt8], pad: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] as [UInt32] {
                output.append(alphabet[Int(group >> shift & 0x3F)])
            }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            var group = UInt32(bytes[index]) << 16
            if rest == 2 { group |= UInt32(bytes[index + 1]) << 8 }
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            if rest == 2 { output.append(alphabet[Int(group >> 6 & 0x3F)]) }
            if pad { output.append(contentsOf: Array(repeating: UInt8(ascii: "="), count: 3 - rest)) }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
