/// The token of RFC 9110 §5.6.2: header names, extension names and their parameters.
enum HTTPToken {
    /// tchar of RFC 9110 §5.6.2.
    static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9",
            "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~":
            true
        default:
            false
        }
    }

    /// One or more tchar.
    static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy(isTokenCharacter)
    }
}
