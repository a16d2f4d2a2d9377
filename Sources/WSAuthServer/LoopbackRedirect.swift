/// The redirect URIs this server accepts: a native app's loopback listener
/// (RFC 8252 §7.3), `http://127.0.0.1:PORT/…` or `http://[::1]:PORT/…`, any port
/// (§7.3: the port is chosen at run time). The server has no client registry, so this
/// rule is the registration: a code can only ever be delivered to the user's own machine.
/// `localhost` is refused (§8.3: it may resolve elsewhere).
struct LoopbackRedirect: Sendable, Equatable {
    let uri: String

    init?(_ text: String?) {
        guard let text, !text.contains("#") else { return nil }  // RFC 6749 §3.1.2: no fragment
        guard let rest = ["http://127.0.0.1:", "http://[::1]:"].lazy.compactMap({ text.stripping(prefix: $0) }).first
        else {
            return nil
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let port = Int(digits), (1...65535).contains(port) else { return nil }
        let tail = rest.dropFirst(digits.count)
        guard tail.isEmpty || tail.hasPrefix("/") || tail.hasPrefix("?") else { return nil }
        self.uri = text
    }

    /// The redirect with `parameters` added to its query (RFC 6749 §4.1.2: the
    /// existing query is kept).
    func adding(_ parameters: [(String, String)]) -> String {
        let query = parameters.map { "\(FormEncoding.escape($0.0))=\(FormEncoding.escape($0.1))" }.joined(
            separator: "&"
        )
        return uri + (uri.contains("?") ? "&" : "?") + query
    }
}

extension String {
    fileprivate func stripping(prefix: String) -> Substring? {
        hasPrefix(prefix) ? dropFirst(prefix.count) : nil
    }
}

/// Percent-encoding of query values (RFC 3986 §2.3: only the unreserved set stays).
enum FormEncoding {
    static func escape(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
