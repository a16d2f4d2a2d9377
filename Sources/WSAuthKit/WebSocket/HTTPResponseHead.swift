/// The status line and headers of the server's answer to the upgrade request.
public struct HTTPResponseHead: Sendable, Equatable {
    /// As sent, e.g. "HTTP/1.1".
    public var version: String
    public var status: Int
    public var reason: String
    /// In order received, duplicates kept: a probe shows exactly what came back.
    public var headers: [HTTPHeader]

    public init(version: String, status: Int, reason: String, headers: [HTTPHeader]) {
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    /// Every value of the header `name`, matched case-insensitively (RFC 9110 §5.1).
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The first value of the header `name`.
    public func value(_ name: String) -> String? {
        values(name).first
    }
}
