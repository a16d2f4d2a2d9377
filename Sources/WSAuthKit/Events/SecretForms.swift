/// Every form in which a secret travels or is quoted back (docs/reference/behaviour.md "Conventions"):
/// raw; base64 and base64url, padded or not (RFC 4648 §4, §5: a Basic header, the
/// Kubernetes subprotocol); percent-encoded with upper- or lowercase hex and as a
/// form body (RFC 3986 §2.1 says either case is the same octet); JSON-escaped, with
/// `\/` and with `\u00xx` (RFC 8259 §7 lets an encoder escape any character).
///
/// Inside a longer base64 text (`base64("user:" + password)`, a token within an
/// encoded JSON document) a secret's own encoding does not appear, because the
/// 3-byte groups fall elsewhere: the groups made only of its bytes do, for each
/// of the three alignments, so those cores are forms too when they are long
/// enough not to match by chance.
enum SecretForms {
    /// The shortest base64 core worth matching: 12 symbols are 72 bits of the secret.
    static let minimumCore = 12

    /// The raw value first, then every other distinct form.
    static func of(_ raw: String) -> [String] {
        var forms = [raw]
        for form in base64(raw) + percent(raw) + json(raw) + jwtSignature(raw) where !forms.contains(form) {
            forms.append(form)
        }
        return forms
    }

    /// A JWT's signature alone (RFC 7515 §7.1): with the header and claims, which are
    /// not secret and may be shown apart (an escaped copy split at its dots), it
    /// makes the token again.
    static func jwtSignature(_ raw: String) -> [String] {
        let segments = raw.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3, let signature = segments.last, signature.count >= 16 else { return [] }
        return [String(signature)]
    }

    static func base64(_ raw: String) -> [String] {
        let bytes = Array(raw.utf8)
        let padded = Base64.encode(bytes)
        var forms = [padded, unpadded(padded), urlSafe(padded), urlSafe(unpadded(padded))]
        for skip in 1...2 where bytes.count - skip >= 3 {
            // The secret starting 1 or 2 bytes into a group: its first whole group is later.
            let whole = (bytes.count - skip) / 3 * 3
            let core = Base64.encode(bytes[skip..<skip + whole])
            if core.count >= minimumCore { forms += [core, urlSafe(core)] }
        }
        let whole = bytes.count / 3 * 3
        let core = Base64.encode(bytes[..<whole])
        if core.count >= minimumCore { forms += [core, urlSafe(core)] }
        return forms
    }

    static func percent(_ raw: String) -> [String] {
        let upper = URLEncoding.encodeComponent(raw)
        let lower = lowercasingEscapes(upper)
        let formSpace = upper.replacing("%20", with: "+")
        return [upper, lower, formSpace, lowercasingEscapes(formSpace)]
    }

    /// `\/` as PHP and some Java encoders write it, and every character that is
    /// not a letter or digit as `\u00xx` in either case.
    static func json(_ raw: String) -> [String] {
        var standard = ""
        JSONValue.writeString(raw, into: &standard)
        let slashed = String(standard.dropFirst().dropLast()).replacing("/", with: "\\/")
        return [slashed, unicodeEscaped(raw, uppercase: false), unicodeEscaped(raw, uppercase: true)]
    }

    private static func unpadded(_ text: String) -> String {
        String(text.prefix { $0 != "=" })
    }

    private static func urlSafe(_ text: String) -> String {
        String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    private static func lowercasingEscapes(_ text: String) -> String {
        var out = ""
        var hexLeft = 0
        for character in text {
            if character == "%" {
                hexLeft = 2
                out.append(character)
            } else if hexLeft > 0 {
                hexLeft -= 1
                out += character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }

    private static func unicodeEscaped(_ raw: String, uppercase: Bool) -> String {
        var out = ""
        for scalar in raw.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 {
                let hex = String(unit, radix: 16, uppercase: uppercase)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out
    }
}
