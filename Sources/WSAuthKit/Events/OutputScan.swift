/// The one pass over a buffer before it is shown (issue 23: no per-byte closure on
/// the message path): does any byte need a closer look, for terminal escaping
/// (`TerminalText`) or because a secret's match can start there (`SecretMatcher`)?
/// When neither, the buffer goes out as it is.
///
/// Escaping is asked of 32 bytes at a time, a word of eight bytes in a few operations:
/// a byte below 0x20 (tab and line feed excepted), DEL, or any byte of a non-ASCII
/// character (C1 controls and bidirectional overrides are among those; `TerminalText`
/// decides exactly).
struct OutputScan {
    var mayNeedEscaping = false
    var mayHoldSecret = false

    var isPlain: Bool { !mayNeedEscaping && !mayHoldSecret }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// `starts`: 256 flags, the bytes a secret's match can start at; nil when no
    /// secret is registered (or all are shown).
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, starts: UnsafeBufferPointer<Bool>?) -> OutputScan {
        var scan = OutputScan()
        scan.mayNeedEscaping = mayNeedEscaping(bytes)
        if let starts {
            var index = 0
            while index < bytes.count, !starts[Int(bytes[index])] { index += 1 }
            scan.mayHoldSecret = index < bytes.count
        }
        return scan
    }

    static func mayNeedEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var index = 0
        while index + 32 <= count {
            let flags =
                suspects(raw, index) | suspects(raw, index + 8)
                | suspects(raw, index + 16) | suspects(raw, index + 24)
            // Tab and line feed are flagged too: only then are the bytes looked at one by one.
            if flags != 0, needsLook(bytes, index..<index + 32) { return true }
            index += 32
        }
        while index + 8 <= count {
            if suspects(raw, index) != 0, needsLook(bytes, index..<index + 8) { return true }
            index += 8
        }
        return needsLook(bytes, index..<count)
    }

    /// The top bit of each byte of the word at `offset` set when that byte is below 0x20,
    /// DEL or above: on the low seven bits, adding 0x60 reaches the top bit from 0x20 up and
    /// adding 1 only from 0x7F, with no carry into the next byte.
    private static func suspects(_ raw: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        let low = word & ~highs
        let printable = (low &+ 0x60 &* ones) & highs
        let delete = (low &+ ones) & highs
        return (word & highs) | delete | (~printable & highs)
    }

    private static func needsLook(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for index in range {
            let byte = bytes[index]
            if byte >= 0x7F || (byte < 0x20 && byte != 0x0A && byte != 0x09) { return true }
        }
        return false
    }
}
