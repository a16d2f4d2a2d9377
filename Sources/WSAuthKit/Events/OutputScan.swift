/// The one pass over a buffer before it is shown (issue 23: no per-byte closure on
/// the message path): does any byte need a closer look, for terminal escaping
/// (`TerminalText`) or because a secret's match can start there (`SecretMatcher`)?
/// When neither, the buffer goes out as it is.
///
/// Eight bytes at a time for the escaping question: a byte below 0x20 (tab and
/// line feed excepted), DEL, or any byte of a non-ASCII character (C1 controls
/// and bidirectional overrides are among those; `TerminalText` decides exactly).
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
        guard let base = bytes.baseAddress else { return scan }
        let raw = UnsafeRawPointer(base)
        var index = 0
        let count = bytes.count
        while index < count {
            let end = min(index + 8, count)
            if !scan.mayNeedEscaping {
                if end - index == 8 {
                    let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    let control = (word &- 0x20 &* ones) & ~word & highs
                    let notDelete = word ^ (0x7F &* ones)
                    let delete = (notDelete &- ones) & ~notDelete & highs
                    scan.mayNeedEscaping = word & highs != 0 || delete != 0
                        || (control != 0 && (index..<end).contains { isControl(bytes[$0]) })
                } else {
                    scan.mayNeedEscaping = (index..<end).contains { isControl(bytes[$0]) || bytes[$0] >= 0x7F }
                }
            }
            if let starts, !scan.mayHoldSecret {
                var offset = index
                while offset < end, !starts[Int(bytes[offset])] { offset += 1 }
                scan.mayHoldSecret = offset < end
            }
            if scan.mayNeedEscaping, scan.mayHoldSecret || starts == nil { break }
            index = end
        }
        return scan
    }

    private static func isControl(_ byte: UInt8) -> Bool {
        byte < 0x20 && byte != 0x0A && byte != 0x09
    }
}
