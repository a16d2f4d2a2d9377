/// The registered secrets in all their forms, and one left-to-right pass that
/// replaces each occurrence: the longest form wins at a position, and a
/// replacement is never searched again (so a short secret cannot match inside
/// the `…(redacted, N chars)` of a long one).
///
/// A form cut short is redacted too when at least half of it (and 12 characters)
/// stands at the end of a value: a body or an error description is shortened
/// before it is shown, and the cut can fall inside a token.
struct SecretPatterns {
    /// Secrets shorter than this are matched only as a whole value (see `Pattern`).
    static let shortSecret = 8

    struct Pattern {
        let bytes: [UInt8]
        let replacement: String
        /// A short secret (`pw`, a 4-digit PIN) would redact innocent words inside
        /// other text; it is matched only where it stands alone, between characters
        /// that are not letters or digits (`"pw"`, `=pw&`, a line of its own).
        let wholeValueOnly: Bool
    }

    private var patterns: [Pattern] = []
    /// Indexes into `patterns` by first byte, longest first.
    private var byFirstByte = [[Int]](repeating: [], count: 256)
    private var registered: Set<String> = []

    var isEmpty: Bool { patterns.isEmpty }

    mutating func add(_ raw: String) {
        guard !raw.isEmpty, registered.insert(raw).inserted else { return }
        let wholeValueOnly = raw.count < SecretPatterns.shortSecret
        for (index, form) in SecretForms.of(raw).enumerated() {
            // Only the secret as given shows a prefix; its encodings show none.
            let replacement = index == 0 ? Secret.redact(raw) : Secret.redact(form, prefix: false)
            insert(Pattern(bytes: Array(form.utf8), replacement: replacement, wholeValueOnly: wholeValueOnly))
        }
    }

    private mutating func insert(_ pattern: Pattern) {
        guard let first = pattern.bytes.first,
              !byFirstByte[Int(first)].contains(where: { patterns[$0].bytes == pattern.bytes }) else { return }
        patterns.append(pattern)
        byFirstByte[Int(first)].append(patterns.count - 1)
        byFirstByte[Int(first)].sort { patterns[$0].bytes.count > patterns[$1].bytes.count }
    }

    func contains(in text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.indices.contains { match(bytes, at: $0) != nil }
    }

    func redact(_ text: String) -> String {
        guard !patterns.isEmpty else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var copied = 0
        var index = 0
        while index < bytes.count {
            guard let (length, replacement) = match(bytes, at: index) else {
                index += 1
                continue
            }
            out += bytes[copied..<index]
            out += replacement.utf8
            index += length
            copied = index
        }
        guard copied > 0 else { return text }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    /// The length matched at `start` and what replaces it.
    private func match(_ bytes: [UInt8], at start: Int) -> (Int, String)? {
        var cut: (Int, String)?
        for candidate in byFirstByte[Int(bytes[start])] {
            let pattern = patterns[candidate]
            let common = commonPrefix(bytes, start, pattern.bytes)
            let end = start + common
            if common == pattern.bytes.count {
                if pattern.wholeValueOnly, isWordByte(bytes, start - 1) || isWordByte(bytes, end) { continue }
                return (common, pattern.replacement)
            }
            if cut == nil, common >= 12, common * 2 >= pattern.bytes.count, !isValueByte(bytes, end) {
                cut = (common, Secret.redact(String(decoding: bytes[start..<end], as: UTF8.self), prefix: false))
            }
        }
        return cut
    }

    private func commonPrefix(_ bytes: [UInt8], _ start: Int, _ pattern: [UInt8]) -> Int {
        var length = 0
        while length < pattern.count, start + length < bytes.count, bytes[start + length] == pattern[length] { length += 1 }
        return length
    }

    /// A byte that a token, its base64 or its percent-encoding can go on with.
    private func isValueByte(_ bytes: [UInt8], _ index: Int) -> Bool {
        guard bytes.indices.contains(index) else { return false }
        return isWordByte(bytes, index) || "-._~+/=%\\".utf8.contains(bytes[index])
    }

    private func isWordByte(_ bytes: [UInt8], _ index: Int) -> Bool {
        guard bytes.indices.contains(index) else { return false }
        let byte = bytes[index]
        return (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
