import Testing

@testable import WSAuthKit

/// Hundreds of random secrets, each hidden in random text in every encoding family
/// and in random per-character mixes of them; the output is then decoded with each
/// family's own decoder (written here, apart from the matcher) and must not hold
/// the secret (docs/redaction.md).
@Suite("Redaction by construction")
struct RedactionPropertyTests {
    /// Letters, digits, what every encoding treats specially, and characters of
    /// two, three and four UTF-8 bytes (the last a surrogate pair in JSON).
    static let alphabet: [Character] = Array("abcXYZ0189+/=&<>\"'% -_.~\\?#;:") + ["é", "ß", "日", "€", "😀"]

    @Test func everyEncodingAndEveryMixIsRedacted() {
        var random = SplitMix(seed: 0x5EC12E7)
        for _ in 0..<400 {
            let secret = Self.randomSecret(&random, length: random.next(in: 12...40))
            let redactor = Redactor(showSecrets: false)
            redactor.register(Secret(secret))
            for family in Family.allCases {
                let form = Self.encode(secret, family, &random)
                let text = Self.filler(&random) + " " + form + " " + Self.filler(&random)
                let shown = redactor.text(text)
                #expect(
                    !Decoders.reveals(shown, secret),
                    "\(family) of \(Array(secret.unicodeScalars)) leaked: \(shown)"
                )
                #expect(shown.contains("(redacted, "), "\(family): nothing redacted in \(text)")
            }
        }
    }

    /// The base64 of any text that holds the secret, at any of the three byte offsets.
    @Test func insideLongerBase64AtEveryOffset() {
        var random = SplitMix(seed: 0xB64)
        for _ in 0..<300 {
            let secret = Self.randomSecret(&random, length: random.next(in: 12...40))
            let redactor = Redactor(showSecrets: false)
            redactor.register(Secret(secret))
            let before = Array(Self.filler(&random).prefix(random.next(in: 0...7)).utf8)
            let after = Array(Self.filler(&random).prefix(random.next(in: 0...7)).utf8)
            var encoded = Base64.encode(before + Array(secret.utf8) + after)
            if random.next(in: 0...1) == 1 { encoded = Decoders.urlSafe(encoded) }
            if random.next(in: 0...1) == 1 { encoded = String(encoded.prefix { $0 != "=" }) }
            let shown = redactor.text("Authorization: Basic \(encoded)\n")
            #expect(!Decoders.reveals(shown, secret), "\(encoded) of \(secret) leaked: \(shown)")
        }
    }

    /// Short secrets (a PIN, a password) in the families that keep them whole; their
    /// base64 inside longer text is too short to tell from chance (docs/redaction.md).
    @Test func shortSecretsStandingAlone() {
        var random = SplitMix(seed: 0x5401)
        for _ in 0..<300 {
            let secret = Self.randomSecret(&random, length: random.next(in: 1...11))
            let redactor = Redactor(showSecrets: false)
            redactor.register(Secret(secret))
            for family in Family.allCases where family != .base64InText {
                let shown = redactor.text("value=\(Self.encode(secret, family, &random))&next=1")
                #expect(!Decoders.reveals(shown, secret, base64: false), "\(family) of \(secret) leaked: \(shown)")
            }
        }
    }

    /// Binary messages: the matched bytes are replaced before any rendering.
    @Test func binaryMessagesAreRedactedBeforeRendering() {
        var random = SplitMix(seed: 0xB1)
        for _ in 0..<200 {
            let secret = Self.randomSecret(&random, length: random.next(in: 12...40))
            let redactor = Redactor(showSecrets: false)
            redactor.register(Secret(secret))
            let noise = (0..<random.next(in: 0...64)).map { _ in UInt8(random.next(in: 0...255)) }
            let message = noise + Array(Self.encode(secret, .mixed, &random).utf8) + noise.reversed()
            let shown = redactor.bytes(message)
            #expect(!Decoders.reveals(String(decoding: shown, as: UTF8.self), secret, base64: false))
            #expect(!Decoders.reveals(Base64.encode(shown), secret))
        }
    }

    @Test func aMatcherIsCheapAndSilentWhenNothingMatches() {
        let redactor = Redactor(showSecrets: false)
        redactor.register(Secret("a-secret-of-twenty-one"))
        let text = String(repeating: "plain words, 100% & \\n escapes &amp; &#65; that are not it. ", count: 2000)
        #expect(redactor.text(text) == text)
    }

    // MARK: Encoding

    enum Family: CaseIterable {
        case raw, percentUpper, percentLower, formBody, quoteKeepingSlash, jsonSlash, jsonUnicodeLower,
            jsonUnicodeUpper,
            htmlNamed, htmlDecimal, htmlHex, mixed, base64InText
    }

    static func randomSecret(_ random: inout SplitMix, length: Int) -> String {
        String((0..<length).map { _ in alphabet[random.next(in: 0...(alphabet.count - 1))] })
    }

    static func filler(_ random: inout SplitMix) -> String {
        let words = ["the", "server", "said", "ok", "token", "value", "of", "and", "is", "data"]
        return (0..<random.next(in: 1...6)).map { _ in words[random.next(in: 0...(words.count - 1))] }.joined(
            separator: " "
        )
    }

    static func encode(_ secret: String, _ family: Family, _ random: inout SplitMix) -> String {
        switch family {
        case .base64InText:
            return Base64.encode(Array(("{\"k\":\"" + secret + "\"}").utf8))
        case .mixed:
            let families: [Family] = [
                .raw, .percentUpper, .percentLower, .formBody, .jsonSlash, .jsonUnicodeLower,
                .jsonUnicodeUpper, .htmlNamed, .htmlDecimal, .htmlHex,
            ]
            return secret.map { encode($0, families[random.next(in: 0...(families.count - 1))]) }.joined()
        default:
            return secret.map { encode($0, family) }.joined()
        }
    }

    static func encode(_ character: Character, _ family: Family) -> String {
        let bytes = Array(String(character).utf8)
        let isWord = character.isASCII && (character.isLetter || character.isNumber)
        func percent(_ upper: Bool) -> String {
            bytes.map { "%" + hex($0, 2, upper) }.joined()
        }
        switch family {
        case .raw, .base64InText, .mixed: return String(character)
        case .percentUpper: return isWord ? String(character) : percent(true)
        case .percentLower: return percent(false)
        case .formBody: return character == " " ? "+" : isWord ? String(character) : percent(true)
        case .quoteKeepingSlash: return character == "/" || isWord ? String(character) : percent(true)
        case .jsonSlash:
            switch character {
            case "/": return "\\/"
            case "\"": return "\\\""
            case "\\": return "\\\\"
            default: return String(character)
            }
        case .jsonUnicodeLower, .jsonUnicodeUpper:
            return String(character).utf16.map { "\\u" + hex(UInt32($0), 4, family == .jsonUnicodeUpper) }.joined()
        case .htmlNamed:
            switch character {
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            case "\"": return "&quot;"
            case "'": return "&apos;"
            default: return String(character)
            }
        case .htmlDecimal: return "&#\(character.unicodeScalars.first!.value);"
        case .htmlHex: return "&#x\(hex(character.unicodeScalars.first!.value, 1, true));"
        }
    }

    static func hex<T: BinaryInteger>(_ value: T, _ width: Int, _ upper: Bool) -> String {
        let digits = String(value, radix: 16, uppercase: upper)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Each family's decoder, independent of `EscapedUnit`, and a search of the output.
enum Decoders {
    /// Our own `…(redacted, N chars)` is taken out first: it is no leak, and a short
    /// secret (`1`, `chars`) would be found in it. A secret under 8 characters is
    /// looked for only as a whole value, as the matcher does.
    static func reveals(_ output: String, _ secret: String, base64: Bool = true) -> Bool {
        let output = withoutMarkers(output)
        let needle = Array(secret.utf8)
        let whole = secret.count < SecretPattern.shortSecret
        let decodings: [[UInt8]] = [
            Array(output.utf8), percent(output), Array(json(output).utf8), html(output), html(json(percent(output))),
        ]
        if decodings.contains(where: { contains($0, needle, wholeValue: whole) }) { return true }
        return base64 && base64Runs(output).contains { contains($0, needle, wholeValue: whole) }
    }

    static func withoutMarkers(_ output: String) -> String {
        var out = ""
        var rest = Substring(output)
        while let marker = rest.firstRange(of: "…(redacted, "),
            let close = rest[marker.upperBound...].firstRange(of: " chars)")
        {
            out += rest[..<marker.lowerBound] + "…"
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8], wholeValue: Bool = false) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            guard haystack[start..<start + needle.count].elementsEqual(needle) else { return false }
            guard wholeValue else { return true }
            let end = start + needle.count
            return (start == 0 || !SecretPattern.isWordByte(haystack[start - 1]))
                && (end == haystack.count || !SecretPattern.isWordByte(haystack[end]))
        }
    }

    /// Python's `unquote_plus`.
    static func percent(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x25, index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                out.append(value)
                index += 3
            } else {
                out.append(bytes[index] == 0x2B ? 0x20 : bytes[index])
                index += 1
            }
        }
        return out
    }

    /// RFC 8259 §7 string escapes, surrogate pairs joined.
    static func json(_ text: String) -> String {
        json(Array(text.utf8))
    }

    static func json(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        var units: [UInt16] = []
        func flushUnits() {
            scalars.append(contentsOf: String(decoding: units, as: UTF16.self).unicodeScalars)
            units = []
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let chars = Array(text.unicodeScalars)
        var index = 0
        while index < chars.count {
            if chars[index] == "\\", index + 1 < chars.count {
                let next = chars[index + 1]
                if next == "u", index + 5 < chars.count,
                    let unit = UInt16(String(String.UnicodeScalarView(chars[index + 2...index + 5])), radix: 16)
                {
                    units.append(unit)
                    index += 6
                    continue
                }
                let simple: Unicode.Scalar? = ["/": "/", "\"": "\"", "\\": "\\", "n": "\n", "t": "\t", "r": "\r"][next]
                if let simple {
                    flushUnits()
                    scalars.append(simple)
                    index += 2
                    continue
                }
            }
            flushUnits()
            scalars.append(chars[index])
            index += 1
        }
        flushUnits()
        return String(scalars)
    }

    /// HTML character references: the five named ones and numeric ones.
    static func html(_ text: String) -> [UInt8] {
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            guard let semicolon = rest.prefix(12).firstIndex(of: ";") else {
                out.append("&")
                rest = rest.dropFirst()
                continue
            }
            let name = rest[rest.index(after: amp)..<semicolon]
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"][String(name)]
            var scalar: Unicode.Scalar?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
            } else if name.hasPrefix("#") {
                scalar = UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
            }
            if let replacement = named ?? scalar.map({ String($0) }) {
                out += replacement
                rest = rest[rest.index(after: semicolon)...]
            } else {
                out.append("&")
                rest = rest.dropFirst()
            }
        }
        out += rest
        return Array(out.utf8)
    }

    static func html(_ text: [UInt8]) -> [UInt8] { html(String(decoding: text, as: UTF8.self)) }

    static func urlSafe(_ text: String) -> String {
        String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    /// Every run of base64 or base64url symbols, decoded from each of its first four
    /// symbols (a secret's encoding can start anywhere in a longer text).
    static func base64Runs(_ output: String) -> [[UInt8]] {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var value = [Int](repeating: -1, count: 256)
        for (index, symbol) in table.enumerated() { value[Int(symbol)] = index }
        value[Int(UInt8(ascii: "-"))] = 62
        value[Int(UInt8(ascii: "_"))] = 63
        var runs: [[Int]] = [[]]
        for byte in output.utf8 {
            if value[Int(byte)] >= 0 {
                runs[runs.count - 1].append(value[Int(byte)])
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        var decoded: [[UInt8]] = []
        for run in runs where run.count >= 4 {
            for skip in 0..<4 {
                var bytes: [UInt8] = []
                var bits = 0
                var accumulator = 0
                for symbol in run.dropFirst(skip) {
                    accumulator = (accumulator << 6 | symbol) & 0xFFFF
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        bytes.append(UInt8((accumulator >> bits) & 0xFF))
                    }
                }
                decoded.append(bytes)
            }
        }
        return decoded
    }
}

/// A small seeded generator, so that a failure can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
