/// The part of TOML v1.0.0 that `config.toml` needs: `[table.headers]`, `key = value`
/// with bare, quoted and dotted keys, basic and literal strings, integers, floats,
/// booleans, arrays (across lines, trailing comma allowed) and `#` comments. Anything
/// else (dates, inline tables, multi-line strings, arrays of tables) is refused with
/// its line, never misread. Kept here instead of a TOML package because every TOML
/// package links full Foundation and ICU into the client (issue 13).
public enum TOMLSubset {
    /// Tables by key path (`[]` is the root), each with its keys' values.
    public typealias Tables = [[String]: [String: Profile.Value]]

    public struct ParseError: Error, Equatable {
        public let line: Int
        public let message: String
    }

    public static func parse(_ text: String) throws(ParseError) -> Tables {
        var reader = TOMLReader(Array(text.utf8))
        return try reader.document()
    }
}

/// A cursor over the file's bytes that knows its line, for errors.
struct TOMLReader {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var tables: TOMLSubset.Tables = [[]: [:]]
    private var headers: Set<[String]> = []
    private var current: [String] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func document() throws(TOMLSubset.ParseError) -> TOMLSubset.Tables {
        while true {
            skipBlankLinesAndComments()
            guard let byte = peek else { return tables }
            if byte == UInt8(ascii: "[") { try tableHeader() } else { try keyValue() }
            try endOfLine()
        }
    }

    // MARK: - Lines

    private mutating func tableHeader() throws(TOMLSubset.ParseError) {
        index += 1
        if peek == UInt8(ascii: "[") { throw error("arrays of tables ([[…]]) are not supported") }
        skipSpaces()
        let path = try dottedKey()
        skipSpaces()
        try expect("]", "expected ']' to close the table header")
        guard headers.insert(path).inserted else {
            throw error("table [\(path.joined(separator: "."))] is defined twice")
        }
        try declareTable(path)
        current = path
    }

    private mutating func keyValue() throws(TOMLSubset.ParseError) {
        let path = try dottedKey()
        skipSpaces()
        try expect("=", "expected '=' after the key")
        skipSpaces()
        let value = try self.value()
        let table = current + path.dropLast()
        let key = path[path.count - 1]
        try declareTable(table)
        guard tables[table]?[key] == nil, tables[table + [key]] == nil else {
            throw error("key \((table + [key]).joined(separator: ".")) is defined twice")
        }
        tables[table, default: [:]][key] = value
    }

    /// Makes `path` and its parents tables; a key that already holds a value cannot become one.
    private mutating func declareTable(_ path: [String]) throws(TOMLSubset.ParseError) {
        for depth in 0..<path.count {
            let parent = Array(path[..<depth])
            if tables[parent]?[path[depth]] != nil {
                throw error("\(path[...depth].joined(separator: ".")) is a value, not a table")
            }
        }
        for depth in 0...path.count where tables[Array(path[..<depth])] == nil {
            tables[Array(path[..<depth])] = [:]
        }
    }

    private mutating func endOfLine() throws(TOMLSubset.ParseError) {
        skipSpaces()
        skipComment()
        guard let byte = peek else { return }
        if byte == UInt8(ascii: "\r") { index += 1 }
        try expect("\n", "expected the end of the line")
        line += 1
    }

    // MARK: - Keys

    private mutating func dottedKey() throws(TOMLSubset.ParseError) -> [String] {
        var path = [try simpleKey()]
        while true {
            skipSpaces()
            guard peek == UInt8(ascii: ".") else { return path }
            index += 1
            skipSpaces()
            path.append(try simpleKey())
        }
    }

    private mutating func simpleKey() throws(TOMLSubset.ParseError) -> String {
        switch peek {
        case UInt8(ascii: "\"")?: return try basicString()
        case UInt8(ascii: "'")?: return try literalString()
        default:
            let start = index
            while let byte = peek, Self.isBareKey(byte) { index += 1 }
            guard index > start else { throw error("expected a key") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    private static func isBareKey(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    // MARK: - Values

    private mutating func value() throws(TOMLSubset.ParseError) -> Profile.Value {
        switch peek {
        case UInt8(ascii: "\"")?:
            if hasPrefix("\"\"\"") { throw error("multi-line strings are not supported") }
            return .string(try basicString())
        case UInt8(ascii: "'")?:
            if hasPrefix("'''") { throw error("multi-line strings are not supported") }
            return .string(try literalString())
        case UInt8(ascii: "[")?: return try array()
        case UInt8(ascii: "{")?: throw error("inline tables are not supported; use a [table]")
        case UInt8(ascii: "t")?, UInt8(ascii: "f")?: return try boolean()
        case nil, UInt8(ascii: "\n")?, UInt8(ascii: "\r")?, UInt8(ascii: "#")?:
            throw error("expected a value after '='")
        default: return try number()
        }
    }

    private mutating func boolean() throws(TOMLSubset.ParseError) -> Profile.Value {
        for (word, value) in [("true", true), ("false", false)] where hasPrefix(word) {
            index += word.utf8.count
            return .bool(value)
        }
        throw error("expected a value (strings are quoted: \"…\")")
    }

    private mutating func number() throws(TOMLSubset.ParseError) -> Profile.Value {
        let start = index
        while let byte = peek,
            Self.isBareKey(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
        {
            index += 1
        }
        let word = String(decoding: bytes[start..<index], as: UTF8.self)
        guard !word.isEmpty else { throw error("expected a value (strings are quoted: \"…\")") }
        if word.contains(":") || word.dropFirst().contains("-") && !word.lowercased().contains("e-") {
            throw error("dates and times are not supported; write them as strings")
        }
        let digits = word.filter { $0 != "_" }
        if let integer = Int(digits) { return .integer(integer) }
        if !digits.hasPrefix("."), !digits.hasSuffix("."), let double = Double(digits), double.isFinite {
            return .double(double)
        }
        throw error("'\(word)' is not a value (strings are quoted: \"…\")")
    }

    private mutating func array() throws(TOMLSubset.ParseError) -> Profile.Value {
        index += 1
        var items: [Profile.Value] = []
        while true {
            skipBlankLinesAndComments()
            if peek == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            guard peek != nil else { throw error("the array is not closed with ']'") }
            items.append(try value())
            skipBlankLinesAndComments()
            guard peek != nil else { throw error("the array is not closed with ']'") }
            if peek == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if peek == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            throw error("expected ',' or ']' in the array")
        }
    }

    // MARK: - Strings

    private mutating func literalString() throws(TOMLSubset.ParseError) -> String {
        index += 1
        let start = index
        while let byte = peek, byte != UInt8(ascii: "'") {
            if byte == UInt8(ascii: "\n") { break }
            try refuseControl(byte)
            index += 1
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        try expect("'", "the string is not closed on its line")
        return text
    }

    private mutating func basicString() throws(TOMLSubset.ParseError) -> String {
        index += 1
        var text: [UInt8] = []
        while let byte = peek, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\n") {
            index += 1
            if byte == UInt8(ascii: "\\") {
                text += try escape()
            } else {
                try refuseControl(byte)
                text.append(byte)
            }
        }
        try expect("\"", "the string is not closed on its line")
        return String(decoding: text, as: UTF8.self)
    }

    /// The escapes of TOML v1.0.0 "String": \b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX.
    private mutating func escape() throws(TOMLSubset.ParseError) -> [UInt8] {
        guard let byte = peek else { throw error("the string is not closed on its line") }
        index += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "b"): 8, UInt8(ascii: "t"): 9, UInt8(ascii: "n"): 10, UInt8(ascii: "f"): 12,
            UInt8(ascii: "r"): 13, UInt8(ascii: "\""): 34, UInt8(ascii: "\\"): 92,
        ]
        if let replacement = simple[byte] { return [replacement] }
        let width = byte == UInt8(ascii: "u") ? 4 : byte == UInt8(ascii: "U") ? 8 : 0
        guard width > 0, index + width <= bytes.count,
            let code = UInt32(String(decoding: bytes[index..<index + width], as: UTF8.self), radix: 16),
            let scalar = Unicode.Scalar(code)
        else { throw error("invalid escape sequence in a string") }
        index += width
        return Array(String(Character(scalar)).utf8)
    }

    private func refuseControl(_ byte: UInt8) throws(TOMLSubset.ParseError) {
        if byte < 0x20 && byte != 9 || byte == 0x7F { throw error("a control character in a string must be escaped") }
    }

    // MARK: - Bytes

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func hasPrefix(_ text: String) -> Bool {
        bytes[index...].starts(with: text.utf8)
    }

    private mutating func expect(_ character: Unicode.Scalar, _ message: String) throws(TOMLSubset.ParseError) {
        guard peek == UInt8(ascii: character) else { throw error(message) }
        index += 1
    }

    private mutating func skipSpaces() {
        while peek == UInt8(ascii: " ") || peek == UInt8(ascii: "\t") { index += 1 }
    }

    private mutating func skipComment() {
        guard peek == UInt8(ascii: "#") else { return }
        while let byte = peek, byte != UInt8(ascii: "\n") { index += 1 }
    }

    private mutating func skipBlankLinesAndComments() {
        while true {
            skipSpaces()
            skipComment()
            if peek == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") {
                index += 1
            }
            guard peek == UInt8(ascii: "\n") else { return }
            index += 1
            line += 1
        }
    }

    private func error(_ message: String) -> TOMLSubset.ParseError {
        TOMLSubset.ParseError(line: line, message: message)
    }
}
