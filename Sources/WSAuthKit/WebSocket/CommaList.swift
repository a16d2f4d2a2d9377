/// Splits a header value that is a comma-separated list (RFC 9110 §5.6.1) into trimmed,
/// non-empty elements. Commas inside a quoted string (an extension parameter may hold
/// one, RFC 6455 §9.1) do not split.
enum CommaList {
    static func split(_ value: String) -> [String] {
        splitOutsideQuotes(value, on: ",").map(trimmingWhitespace).filter { !$0.isEmpty }
    }

    /// Splits at `separator` except inside a quoted-string (RFC 9110 §5.6.4), keeping
    /// empty and untrimmed parts: the caller decides what they mean.
    static func splitOutsideQuotes(_ value: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in value {
            if escaped {
                escaped = false
            } else if quoted && character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == separator && !quoted {
                parts.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        parts.append(current)
        return parts
    }

    /// Strips the optional whitespace (SP / HTAB) HTTP allows around values.
    static func trimmingWhitespace(_ text: some StringProtocol) -> String {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isWhitespace($0) }),
            let end = text.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(text[start...end])
    }
}
