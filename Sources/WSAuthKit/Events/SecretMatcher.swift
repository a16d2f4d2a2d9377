/// Every registered secret, recognised by construction (docs/redaction.md): a match
/// is any run of text whose units — each a raw byte or an `EscapedUnit` — decode to
/// one of a secret's `SecretPattern`s, so every mix of raw characters, percent-,
/// JSON- and HTML-escapes is found without listing the mixes.
///
/// One left-to-right pass over the bytes, an automaton whose states are (pattern,
/// bytes matched, start); a state lives at most a few bytes ahead (the longest unit
/// is 12 bytes), so the work is linear in the text for a given set of secrets. Where
/// no byte can start a match (`starts`), the pass is a table look-up per byte.
struct SecretMatcher {
    private var patterns: [SecretPattern] = []
    private var registered: Set<String> = []
    /// Registered secrets by their bytes: a match equal to one keeps its prefix.
    private var secrets: [[UInt8]: String] = [:]
    /// Bytes a match can start at: a pattern's first byte, or one that opens a unit.
    private(set) var starts = [Bool](repeating: false, count: 256)

    var isEmpty: Bool { patterns.isEmpty }

    mutating func add(_ secret: String) {
        guard !secret.isEmpty, registered.insert(secret).inserted else { return }
        secrets[Array(secret.utf8)] = secret
        for pattern in SecretPattern.of(secret) where !patterns.contains(where: { $0.bytes == pattern.bytes }) {
            patterns.append(pattern)
            starts[Int(pattern.bytes[0])] = true
        }
        for byte in UInt8.min...UInt8.max where EscapedUnit.opens(byte) { starts[Int(byte)] = true }
    }

    // MARK: Matching

    private struct State {
        var pattern: Int
        var matched: Int
        var start: Int
    }

    /// A match cut short is still a match when at least this much of a pattern, and
    /// half of it, stands at the end of a value: a body or an error description is
    /// shortened before it is shown, and the cut can fall inside a token.
    static let shortestCut = 12

    /// The byte ranges of `text` that hold a secret, sorted; overlapping matches are
    /// merged, so that nothing of either survives.
    func matches(in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard !patterns.isEmpty else { return [] }
        var found: [Range<Int>] = []
        // States waiting at the next 16 positions: a unit is at most 12 bytes long.
        var ahead = [[State]](repeating: [], count: 16)
        var current: [State] = []
        var waiting = 0
        var index = 0
        let count = text.count
        while index <= count {
            if waiting == 0 {
                while index < count, !starts[Int(text[index])] { index += 1 }
                if index == count { break }
            }
            swap(&current, &ahead[index & 15])
            waiting -= current.count
            let unit = index < count && EscapedUnit.opens(text[index]) ? EscapedUnit.at(index, in: text) : nil
            if index < count, starts[Int(text[index])] {
                for (number, pattern) in patterns.enumerated()
                where pattern.bytes[0] == text[index] || unit.map({ $0[0] == pattern.bytes[0] }) == true {
                    if pattern.wholeValueOnly, index > 0, SecretPattern.isWordByte(text[index - 1]) { continue }
                    current.append(State(pattern: number, matched: 0, start: index))
                }
            }
            for state in current {
                let pattern = patterns[state.pattern]
                let bytes = pattern.bytes
                if state.matched == bytes.count {
                    if pattern.wholeValueOnly, index < count, SecretPattern.isWordByte(text[index]) { continue }
                    found.append(Self.widened(state.start..<index, pattern, text))
                    continue
                }
                var advanced = false
                if index < count, text[index] == bytes[state.matched] {
                    waiting += Self.wait(
                        State(pattern: state.pattern, matched: state.matched + 1, start: state.start),
                        at: index + 1,
                        in: &ahead
                    )
                    advanced = true
                }
                if let unit, unit.count <= bytes.count - state.matched,
                    (0..<unit.count).allSatisfy({ unit[$0] == bytes[state.matched + $0] })
                {
                    waiting += Self.wait(
                        State(pattern: state.pattern, matched: state.matched + unit.count, start: state.start),
                        at: index + unit.length,
                        in: &ahead
                    )
                    advanced = true
                }
                if !advanced, state.matched >= Self.shortestCut, state.matched * 2 >= bytes.count,
                    index == count || !Self.isValueByte(text[index])
                {
                    found.append(state.start..<index)
                }
            }
            current.removeAll(keepingCapacity: true)
            index += 1
        }
        return Self.merged(found)
    }

    /// Queues `state` at `position`; one state per (pattern, matched) there, the
    /// earliest start, which covers any later one. Returns how many were added.
    private static func wait(_ state: State, at position: Int, in ahead: inout [[State]]) -> Int {
        let slot = position & 15
        if let same = ahead[slot].firstIndex(where: { $0.pattern == state.pattern && $0.matched == state.matched }) {
            ahead[slot][same].start = min(ahead[slot][same].start, state.start)
            return 0
        }
        ahead[slot].append(state)
        return 1
    }

    /// A base64 core with the partial symbols around it and its padding.
    private static func widened(
        _ range: Range<Int>,
        _ pattern: SecretPattern,
        _ text: UnsafeBufferPointer<UInt8>
    ) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        if pattern.partialSymbolBefore, lower > 0, SecretPattern.isBase64Symbol(text[lower - 1]) { lower -= 1 }
        if pattern.partialSymbolAfter, upper < text.count, SecretPattern.isBase64Symbol(text[upper]) {
            upper += 1
            var padding = 0
            while padding < 2, upper < text.count, text[upper] == 0x3D {
                upper += 1
                padding += 1
            }
        }
        return lower..<upper
    }

    private static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        guard ranges.count > 1 else { return ranges }
        var out: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, range.lowerBound < last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }

    /// A byte that a token, its base64 or its percent-encoding can go on with.
    private static func isValueByte(_ byte: UInt8) -> Bool {
        SecretPattern.isWordByte(byte) || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            || byte == 0x2B || byte == 0x2F || byte == 0x3D || byte == 0x25 || byte == 0x5C
    }

    // MARK: Replacing

    /// `text` with every match replaced; nil when nothing matched.
    func redacted(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let ranges = matches(in: text)
        guard !ranges.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var copied = 0
        for range in ranges {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied..<range.lowerBound]))
            out.append(contentsOf: replacement(for: UnsafeBufferPointer(rebasing: text[range])).utf8)
            copied = range.upperBound
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied...]))
        return out
    }

    /// The secret as given shows its prefix (`Secret.redact`); any other form, or a
    /// mix, shows only its length in characters.
    private func replacement(for matched: UnsafeBufferPointer<UInt8>) -> String {
        if let secret = secrets[Array(matched)] { return Secret.redact(secret) }
        let characters = matched.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return "…(redacted, \(characters) chars)"
    }
}
