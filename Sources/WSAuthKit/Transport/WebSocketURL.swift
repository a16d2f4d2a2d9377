/// A `ws://` or `wss://` URL taken apart (RFC 6455 §3), with the `http(s)://`
/// form libcurl needs: this libcurl rejects the ws schemes.
public struct WebSocketURL: Sendable, Equatable, CustomStringConvertible {
    public var secure: Bool
    public var host: String
    public var port: Int?
    /// Path and query, `/` when the URL has no path.
    public var resource: String

    public init(secure: Bool, host: String, port: Int?, resource: String) {
        self.secure = secure
        self.host = host
        self.port = port
        self.resource = resource
    }

    public static func parse(_ text: String) throws(Failure) -> WebSocketURL {
        func invalid(_ why: String) -> Failure {
            Failure.usage("invalid URL '\(text)': \(why)")
        }
        guard let schemeEnd = text.firstRange(of: "://") else {
            throw invalid("expected ws://HOST[:PORT]/PATH or wss://…")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let secure: Bool
        switch scheme {
        case "ws": secure = false
        case "wss": secure = true
        default: throw invalid("unsupported scheme '\(scheme)'; use ws:// or wss://")
        }
        var rest = text[schemeEnd.upperBound...]
        if rest.contains("#") {
            // RFC 6455 §3: fragment identifiers MUST NOT be used in WebSocket URIs.
            throw invalid("a WebSocket URL cannot have a #fragment")
        }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        if authority.contains("@") {
            throw invalid("credentials in the URL are not supported; use --token or -H")
        }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("unterminated IPv6 address") }
            host = authority[authority.startIndex...close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw invalid("unexpected '\(after)' after the host")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw invalid("no host") }
        guard host.allSatisfy({ !$0.isWhitespace }) else { throw invalid("the host contains spaces") }
        var port: Int?
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw invalid("port '\(portText)' is not a number from 1 to 65535")
            }
            port = value
        }
        var resource = String(rest)
        if resource.isEmpty || resource.hasPrefix("?") { resource = "/" + resource }
        guard resource.allSatisfy({ !$0.isWhitespace }) else {
            throw invalid("the path contains spaces; percent-encode them")
        }
        return WebSocketURL(secure: secure, host: String(host), port: port, resource: resource)
    }

    public var defaultPort: Int { secure ? 443 : 80 }
    public var effectivePort: Int { port ?? defaultPort }

    private var authority: String {
        port.map { "\(host):\($0)" } ?? host
    }

    /// The URL libcurl is given for the CONNECT_ONLY connection.
    public var curlURL: String { "\(secure ? "https" : "http")://\(authority)\(resource)" }

    public var description: String { "\(secure ? "wss" : "ws")://\(authority)\(resource)" }

    /// The host's origin, for a same-origin `Origin` header and cookie matching.
    public var httpOrigin: String { "\(secure ? "https" : "http")://\(authority)" }

    public var path: String {
        String(resource.prefix { $0 != "?" })
    }

    /// A copy with `name=value` added to the query, percent-encoded (for `--token-in query`).
    public func addingQueryItem(name: String, value: String) -> WebSocketURL {
        var copy = self
        let separator = resource.contains("?") ? "&" : "?"
        copy.resource += separator + URLEncoding.encodeComponent(name) + "=" + URLEncoding.encodeComponent(value)
        return copy
    }

    public var isLoopback: Bool { CleartextWarning.isLoopback(host) }
}

/// Percent-encoding for query components and form bodies (RFC 3986 §2.3 unreserved set kept).
public enum URLEncoding {
    public static func encodeComponent(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// `application/x-www-form-urlencoded` body from ordered pairs.
    public static func form(_ pairs: [(String, String)]) -> String {
        pairs.map { encodeComponent($0.0) + "=" + encodeComponent($0.1) }.joined(separator: "&")
    }
}
