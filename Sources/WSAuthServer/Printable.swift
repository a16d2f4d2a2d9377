/// Text a client sent, made safe for a log line or a header value: control characters
/// (C0, DEL and C1) become `\u{…}` escapes, so that a request can neither forge log
/// lines nor send escape sequences to the terminal of whoever reads the log.
enum Printable {
    static func escaped(_ text: some StringProtocol) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
