/// The byte strings a registered secret is looked for as (docs/redaction.md). Each is
/// matched through `EscapedUnit`s, so these are only the forms that escaping cannot
/// make: the secret itself, its base64 inside longer base64 text, a JWT's signature.
struct SecretPattern {
    let bytes: [UInt8]
    /// The secret this was made from: a match equal to it keeps its short prefix.
    let secret: String
    /// A short secret (`pw`, a 4-digit PIN) would redact innocent words inside other
    /// text; it is matched only where it stands alone, between bytes that are not
    /// letters or digits (`"pw"`, `=pw&`, a line of its own).
    let wholeValueOnly: Bool
    /// A base64 core is bordered by a symbol that holds some of the secret's bits and
    /// some of its neighbour's (RFC 4648 §4): that symbol, and padding, go too.
    let partialSymbolBefore: Bool
    let partialSymbolAfter: Bool

    /// Secrets shorter than this are matched only as a whole value.
    static let shortSecret = 8
    /// The shortest base64 core worth matching: 10 symbols are 60 bits of the secret.
    static let minimumCore = 10

    static func of(_ secret: String) -> [SecretPattern] {
        let bytes = Array(secret.utf8)
        let wholeValueOnly = secret.count < shortSecret
        var patterns = [
            SecretPattern(
                bytes: bytes,
                secret: secret,
                wholeValueOnly: wholeValueOnly,
                partialSymbolBefore: false,
                partialSymbolAfter: false
            )
        ]
        for offset in 0..<3 {
            guard let core = base64Core(bytes, offset: offset) else { continue }
            let after = (8 * (offset + bytes.count)) % 6 != 0
            for alphabet in [core, urlSafe(core)] where !patterns.contains(where: { $0.bytes == alphabet }) {
                patterns.append(
                    SecretPattern(
                        bytes: alphabet,
                        secret: secret,
                        wholeValueOnly: false,
                        partialSymbolBefore: offset != 0,
                        partialSymbolAfter: after
                    )
                )
            }
        }
        // A JWT's signature alone (RFC 7515 §7.1): with the header and claims, which are
        // not secret and may be shown apart, it makes the token again.
        let segments = bytes.split(separator: 0x2E, omittingEmptySubsequences: false)
        if segments.count == 3, let signature = segments.last, signature.count >= 16 {
            patterns.append(
                SecretPattern(
                    bytes: Array(signature),
                    secret: secret,
                    wholeValueOnly: false,
                    partialSymbolBefore: false,
                    partialSymbolAfter: false
                )
            )
        }
        return patterns
    }

    /// The base64 symbols fully determined by the secret when it starts `offset` bytes
    /// into a 3-byte group: symbol k holds bits 6k..<6k+6 of the stream.
    static func base64Core(_ bytes: [UInt8], offset: Int) -> [UInt8]? {
        let encoded = Array(Base64.encode(Array(repeating: 0, count: offset) + bytes + [0, 0]).utf8)
        let first = (8 * offset + 5) / 6
        let end = (8 * (offset + bytes.count)) / 6
        guard end - first >= minimumCore else { return nil }
        return Array(encoded[first..<end])
    }

    private static func urlSafe(_ symbols: [UInt8]) -> [UInt8] {
        symbols.map { $0 == 0x2B ? 0x2D : $0 == 0x2F ? 0x5F : $0 }
    }

    /// A byte of the base64 or base64url alphabet.
    static func isBase64Symbol(_ byte: UInt8) -> Bool {
        isWordByte(byte) || byte == 0x2B || byte == 0x2F || byte == 0x2D || byte == 0x5F
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
