/// Host and path of an http(s) URL, for the cookie checks.
public struct URLParts {
    public var host: String
    public var path: String

    public init(_ url: String) {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[...close])
        } else {
            host = String(authority.split(separator: ":").first ?? authority)
        }
        let pathAndQuery = rest[authorityEnd...]
        let pathEnd = pathAndQuery.firstIndex { $0 == "?" || $0 == "#" } ?? pathAndQuery.endIndex
        let path = String(pathAndQuery[..<pathEnd])
        self.path = path.isEmpty ? "/" : path
    }
}
