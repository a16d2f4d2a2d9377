/// The one escaped form that may start at a byte of output text, decoded: what a
/// secret's character can travel as besides itself (docs/redaction.md).
///
/// - `%XX` in either hex case, and `+` for a space (RFC 3986 §2.1; the form
///   encoding of HTML's application/x-www-form-urlencoded);
/// - JSON's `\/`, `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t` and `\uXXXX`, a surrogate
///   pair as one unit (RFC 8259 §7);
/// - HTML's `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NN;` and `&#xNN;`.
///
/// A unit decodes to the UTF-8 bytes of one character (at most 4). Every byte also
/// stands for itself, so the matcher tries both.
struct EscapedUnit {
    /// The decoded bytes, first in the low byte.
    private(set) var packed: UInt32 = 0
    private(set) var count = 0
    /// Bytes of the text the unit spans.
    let length: Int

    subscript(index: Int) -> UInt8 { UInt8(truncatingIfNeeded: packed >> (8 * UInt32(index))) }

    private init(byte: UInt8, length: Int) {
        self.length = length
        packed = UInt32(byte)
        count = 1
    }

    private init?(scalar value: UInt32, length: Int) {
        guard let scalar = Unicode.Scalar(value) else { return nil }
        self.length = length
        for byte in UTF8.encode(scalar)! {
            packed |= UInt32(byte) << (8 * UInt32(count))
            count += 1
        }
    }

    /// Bytes that can open a unit: a quick test before `at` does any work.
    static func opens(_ byte: UInt8) -> Bool {
        byte == 0x25 || byte == 0x2B || byte == 0x5C || byte == 0x26  // % + \ &
    }

    /// The unit starting at `index`, if the text there is an escape.
    static func at(_ index: Int, in text: UnsafeBufferPointer<UInt8>) -> EscapedUnit? {
        switch text[index] {
        case 0x25:  // %
            guard let value = hex(text, index + 1, digits: 2) else { return nil }
            return EscapedUnit(byte: UInt8(value), length: 3)
        case 0x2B:  // +
            return EscapedUnit(byte: 0x20, length: 1)
        case 0x5C:  // \
            return json(text, index)
        case 0x26:  // &
            return html(text, index)
        default:
            return nil
        }
    }

    private static func json(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> EscapedUnit? {
        guard index + 1 < text.count else { return nil }
        let simple: UInt8?
        switch text[index + 1] {
        case 0x2F, 0x22, 0x5C: simple = text[index + 1]  // / " \
        case 0x62: simple = 0x08  // b
        case 0x66: simple = 0x0C  // f
        case 0x6E: simple = 0x0A  // n
        case 0x72: simple = 0x0D  // r
        case 0x74: simple = 0x09  // t
        case 0x75:  // u
            guard let unit = hex(text, index + 2, digits: 4) else { return nil }
            if (0xD800..<0xDC00).contains(unit) {
                // A surrogate pair is one character: both halves or nothing.
                guard index + 11 < text.count, text[index + 6] == 0x5C, text[index + 7] == 0x75,
                    let low = hex(text, index + 8, digits: 4), (0xDC00..<0xE000).contains(low)
                else { return nil }
                return EscapedUnit(scalar: 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), length: 12)
            }
            return EscapedUnit(scalar: unit, length: 6)
        default: simple = nil
        }
        return simple.map { EscapedUnit(byte: $0, length: 2) }
    }

    private static let entities: [(name: [UInt8], byte: UInt8)] = [
        (Array("amp;".utf8), 0x26), (Array("lt;".utf8), 0x3C), (Array("gt;".utf8), 0x3E),
        (Array("quot;".utf8), 0x22), (Array("apos;".utf8), 0x27),
    ]

    private static func html(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> EscapedUnit? {
        guard index + 3 < text.count else { return nil }
        if text[index + 1] == 0x23 {  // &#
            let isHex = text[index + 2] | 0x20 == 0x78
            var position = index + (isHex ? 3 : 2)
            var value: UInt32 = 0
            let first = position
            while position < text.count, position - first < 8, let digit = digit(text[position], hex: isHex) {
                value = value * (isHex ? 16 : 10) + digit
                position += 1
            }
            guard position > first, position < text.count, text[position] == 0x3B, value <= 0x10FFFF else { return nil }
            return EscapedUnit(scalar: value, length: position + 1 - index)
        }
        for entity in entities where index + entity.name.count < text.count {
            var same = true
            for offset in entity.name.indices where text[index + 1 + offset] != entity.name[offset] {
                same = false
                break
            }
            if same { return EscapedUnit(byte: entity.byte, length: entity.name.count + 1) }
        }
        return nil
    }

    private static func hex(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, digits: Int) -> UInt32? {
        guard start + digits <= text.count else { return nil }
        var value: UInt32 = 0
        for position in start..<start + digits {
            guard let digit = digit(text[position], hex: true) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func digit(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case 0x30...0x39: return UInt32(byte - 0x30)
        case 0x41...0x46 where hex: return UInt32(byte - 0x41 + 10)
        case 0x61...0x66 where hex: return UInt32(byte - 0x61 + 10)
        default: return nil
        }
    }
}
