/// What a server sends is shown, never obeyed (docs/reference/behaviour.md "Conventions"): its text in a
/// finding has control characters (terminal escape sequences) written out as `\xNN`.
enum ServerText {
    static func shown(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x20 || (0x7F...0x9F).contains(value) {
                result += "\\x" + String(value, radix: 16, uppercase: true).leftPadded(to: 2)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
