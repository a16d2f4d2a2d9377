/// The keys a `[profiles.NAME]` table may hold (docs/reference/profile-keys.md), and the check that
/// names an unknown one with its file and line and the closest known key, so that
/// `refresh-url` for `refresh_url` is an error rather than a setting silently ignored.
public struct ProfileSchema: Sendable {
    public let knownKeys: Set<String>
    /// Keys that cannot be set, with the reason (a secret's value, `show_secrets`).
    public let refused: [String: String]

    public init(knownKeys: Set<String>, refused: [String: String] = [:]) {
        self.knownKeys = knownKeys
        self.refused = refused
    }

    /// Checks every `[profiles.NAME]` table of a config file; a file `TOMLSubset` cannot
    /// read is left to `Profile.load`, which reports the syntax error and its line.
    public func check(_ text: String, file: String) throws(Failure) {
        guard let tables = try? TOMLSubset.parse(text) else { return }
        let unknown = tables.filter { $0.key.count == 2 && $0.key[0] == "profiles" }
            .flatMap { table in table.value.keys.filter { !knownKeys.contains($0) }.map { (table.key[1], $0) } }
            .map { (line: Self.line(of: $0.1, inProfile: $0.0, text: text), profile: $0.0, key: $0.1) }
            .sorted { ($0.line ?? 0, $0.key) < ($1.line ?? 0, $1.key) }
        guard let first = unknown.first else { return }
        let place = first.line.map { "\(file):\($0)" } ?? file
        if let reason = refused[first.key] {
            throw Failure.usage("\(place): '\(first.key)' cannot be set in [profiles.\(first.profile)]: \(reason)")
        }
        let hint = closest(to: first.key).map { "; did you mean \($0)?" } ?? ""
        throw Failure.usage("\(place): unknown key '\(first.key)' in [profiles.\(first.profile)]\(hint)")
    }

    /// The 1-based line where `key` is set in `[profiles.NAME]`, found by reading lines.
    static func line(of key: String, inProfile name: String, text: String) -> Int? {
        var inTable = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingSpaces()
            if line.hasPrefix("[") {
                let header = line.dropFirst().prefix { $0 != "]" }.trimmingSpaces()
                inTable = header == "profiles.\(name)" || header == "profiles.\"\(name)\""
                continue
            }
            guard inTable, let equals = line.firstIndex(of: "=") else { continue }
            if unquoted(line[..<equals].trimmingSpaces()) == key { return index + 1 }
        }
        return nil
    }

    /// The known key within a few edits of `key` (dashes count as underscores), if any.
    public func closest(to key: String) -> String? {
        let normalized = String(key.lowercased().map { $0 == "-" ? "_" : $0 })
        let limit = max(2, normalized.count / 3)
        let ranked = knownKeys.map { ($0, Self.distance(normalized, $0)) }
            .filter { $0.1 <= limit }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return ranked.first?.0
    }

    private static func unquoted(_ key: Substring) -> String {
        if key.count >= 2, let first = key.first, first == "\"" || first == "'", key.last == first {
            return String(key.dropFirst().dropLast())
        }
        return String(key)
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
