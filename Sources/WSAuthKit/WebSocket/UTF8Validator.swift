/// Checks UTF-8 as it arrives, fragment by fragment, so that a text message can be
/// rejected at the first byte that makes it invalid rather than when it ends
/// (RFC 6455 §8.1 "fail fast"). Well-formed means the sequences of Unicode Table 3-7:
/// no overlong forms, no surrogates (U+D800–DFFF), nothing above U+10FFFF.
public struct UTF8Validator: Sendable {
    /// Continuation bytes still expected for the current code point.
    private var pending = 0
    /// The range the next continuation byte must fall in; Table 3-7 narrows it for the
    /// byte after E0, ED, F0 and F4.
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    private var failed = false

    public init() {}

    /// Feeds more bytes; false as soon as the bytes so far cannot begin valid UTF-8, and
    /// from then on until `reset()`.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> Bool {
        guard !failed else { return false }
        let valid =
            bytes.withContiguousStorageIfAvailable { feed(buffer: UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes { feed(buffer: $0) }
        failed = !valid
        return valid
    }

    /// No code point is half-way through: a message may end here.
    public var isAtBoundary: Bool { !failed && pending == 0 }

    public mutating func reset() { self = UTF8Validator() }

    private mutating func feed(buffer: UnsafeRawBufferPointer) -> Bool {
        let count = buffer.count
        var index = 0
        while index < count {
            if pending == 0 {
                // ASCII dominates real traffic: skip it a word at a time.
                while index + 8 <= count,
                    buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                {
                    index += 8
                }
                guard index < count else { break }
                let byte = buffer[index]
                index += 1
                switch byte {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: expect(1, 0x80, 0xBF)
                case 0xE0: expect(2, 0xA0, 0xBF)
                case 0xE1...0xEC, 0xEE...0xEF: expect(2, 0x80, 0xBF)
                case 0xED: expect(2, 0x80, 0x9F)
                case 0xF0: expect(3, 0x90, 0xBF)
                case 0xF1...0xF3: expect(3, 0x80, 0xBF)
                case 0xF4: expect(3, 0x80, 0x8F)
                default: return false
                }
            } else {
                let byte = buffer[index]
                index += 1
                guard byte >= lower && byte <= upper else { return false }
                pending -= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        return true
    }

    private mutating func expect(_ continuationBytes: Int, _ lower: UInt8, _ upper: UInt8) {
        pending = continuationBytes
        self.lower = lower
        self.upper = upper
    }
}
