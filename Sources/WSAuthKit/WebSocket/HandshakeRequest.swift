/// The client's opening handshake (RFC 6455 §4.1): an HTTP/1.1 GET that asks to upgrade.
public struct HandshakeRequest: Sendable {
    public var host: String
    /// Nil, or the default for the scheme (80, 443 when `secure`), leaves it out of Host.
    public var port: Int?
    public var secure: Bool
    /// Path and query, e.g. "/chat?token=…"; "/" when empty (RFC 6455 §3).
    public var resource: String
    public var key: String
    public var subprotocols: [String]
    public var origin: String?
    public var extensions: [String]
    /// Sent after ours. One whose name matches one of ours (case-insensitively) takes
    /// that header's place instead, as `curl -H` does; with an empty value it removes it.
    /// That holds for Sec-WebSocket-Key, Sec-WebSocket-Version, Upgrade and Connection
    /// too: this is a debugging tool, and a broken handshake is sometimes the point.
    /// `expectedAccept` and `validate` follow the key, subprotocols and extensions
    /// actually sent.
    public var extraHeaders: [(name: String, value: String)]

    public init(
        host: String,
        port: Int?,
        secure: Bool,
        resource: String,
        key: String = WebSocketAccept.makeKey(),
        subprotocols: [String] = [],
        origin: String? = nil,
        extensions: [String] = [],
        extraHeaders: [(name: String, value: String)] = []
    ) {
        self.host = host
        self.port = port
        self.secure = secure
        self.resource = resource.isEmpty ? "/" : resource
        self.key = key
        self.subprotocols = subprotocols
        self.origin = origin
        self.extensions = extensions
        self.extraHeaders = extraHeaders
    }

    public var requestLine: String { "GET \(resource) HTTP/1.1" }

    /// The headers in the order they are sent.
    public var headers: [(name: String, value: String)] {
        var headers: [(name: String, value: String)?] = [
            ("Host", hostHeader),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", key),
            ("Sec-WebSocket-Version", "13"),
        ]
        if !subprotocols.isEmpty {
            headers.append(("Sec-WebSocket-Protocol", subprotocols.joined(separator: ", ")))
        }
        if !extensions.isEmpty {
            headers.append(("Sec-WebSocket-Extensions", extensions.joined(separator: ", ")))
        }
        if let origin {
            headers.append(("Origin", origin))
        }
        let ours = headers.indices
        var replaced = Set<Int>()
        for extra in extraHeaders {
            let name = extra.name.lowercased()
            if let index = ours.first(where: { !replaced.contains($0) && headers[$0]?.name.lowercased() == name }) {
                replaced.insert(index)
                headers[index] = extra.value.isEmpty ? nil : extra
            } else {
                headers.append(extra)
            }
        }
        return headers.compactMap { $0 }
    }

    /// The request head as bytes: request line, headers, blank line (RFC 9112 §2.1).
    public func serialized() -> [UInt8] {
        var text = requestLine + "\r\n"
        for header in headers {
            text += "\(header.name): \(header.value)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// The Sec-WebSocket-Accept the server must answer with, for the key actually sent.
    public var expectedAccept: String {
        WebSocketAccept.value(forKey: sentValues("Sec-WebSocket-Key", in: headers).first ?? key)
    }

    /// Host with the port only when it is not the scheme's default (RFC 6455 §4.1 item 4),
    /// and an IPv6 literal in brackets (RFC 3986 §3.2.2).
    private var hostHeader: String {
        let name = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        guard let port, port != (secure ? 443 : 80) else { return name }
        return "\(name):\(port)"
    }

    func sentValues(_ name: String, in headers: [(name: String, value: String)]) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }
}
