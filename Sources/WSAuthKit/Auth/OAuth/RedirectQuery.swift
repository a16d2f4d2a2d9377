/// The query of the request the browser makes to the loopback redirect
/// (RFC 6749 §4.1.2): `code` and `state`, or `error` and `error_description`.
struct RedirectQuery: Equatable {
    var path: String
    var parameters: [String: String]

    init(target: String) {
        let question = target.firstIndex(of: "?")
        path = String(target[..<(question ?? target.endIndex)])
        var parameters: [String: String] = [:]
        if let question {
            for pair in target[target.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = RedirectQuery.decode(parts[0])
                if parameters[name] == nil { parameters[name] = parts.count > 1 ? RedirectQuery.decode(parts[1]) : "" }
            }
        }
        self.parameters = parameters
    }

    subscript(name: String) -> String? { parameters[name] }

    /// application/x-www-form-urlencoded decoding: `+` is a space, `%XX` a byte.
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), let high = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex),
                let low = utf8.index(index, offsetBy: 2, limitedBy: utf8.endIndex), low < utf8.endIndex,
                let value = UInt8(String(decoding: [utf8[high], utf8[low]], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index = utf8.index(after: low)
                continue
            }
            bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = utf8.index(after: index)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
