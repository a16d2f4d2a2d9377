/// One line of a Netscape cookie file, the format curl's `-b FILE`/`-c FILE`
/// and libcurl's `CURLINFO_COOKIELIST` use: seven tab-separated fields
/// `domain  include-subdomains  path  secure  expires  name  value`,
/// with `#HttpOnly_` before the domain of an HttpOnly cookie.
public struct NetscapeCookie: Sendable, Equatable {
    /// Without a leading dot.
    public var domain: String
    /// False for a host-only cookie (no `Domain` attribute, RFC 6265 §5.3 step 6).
    public var includeSubdomains: Bool
    public var path: String
    public var secure: Bool
    /// Seconds since the epoch; 0 for a session cookie, which lasts until the client forgets it.
    public var expires: Int64
    public var name: String
    public var value: String
    public var httpOnly: Bool

    public init(
        domain: String,
        includeSubdomains: Bool,
        path: String,
        secure: Bool,
        expires: Int64,
        name: String,
        value: String,
        httpOnly: Bool
    ) {
        self.domain = domain
        self.includeSubdomains = includeSubdomains
        self.path = path
        self.secure = secure
        self.expires = expires
        self.name = name
        self.value = value
        self.httpOnly = httpOnly
    }

    static let httpOnlyPrefix = "#HttpOnly_"

    /// nil for comments, blank lines and lines that are not cookies.
    public static func parse(_ line: String) -> NetscapeCookie? {
        var text = Substring(line)
        while text.last == "\r" || text.last == "\n" { text = text.dropLast() }
        var httpOnly = false
        if text.hasPrefix(httpOnlyPrefix) {
            httpOnly = true
            text = text.dropFirst(httpOnlyPrefix.count)
        } else if text.hasPrefix("#") {
            return nil
        }
        let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 7, !fields[0].isEmpty, let expires = Int64(fields[4]) else { return nil }
        var domain = String(fields[0])
        if domain.hasPrefix(".") { domain.removeFirst() }
        return NetscapeCookie(
            domain: domain.lowercased(),
            includeSubdomains: fields[1] == "TRUE",
            path: String(fields[2]),
            secure: fields[3] == "TRUE",
            expires: expires,
            name: String(fields[5]),
            value: String(fields[6]),
            httpOnly: httpOnly
        )
    }

    /// curl's `-b NAME=VALUE[; NAME=VALUE]` (an argument with no `=` names a file): session
    /// cookies for `host`, path `/`, as curl sends them to the URL given.
    public static func literal(_ argument: String?, host: String) -> [NetscapeCookie] {
        guard let argument, argument.contains("=") else { return [] }
        return argument.split(separator: ";").compactMap { pair in
            let trimmed = pair.trimmingSpaces()
            guard let eq = trimmed.firstIndex(of: "=") else { return nil }
            return NetscapeCookie(
                domain: host,
                includeSubdomains: false,
                path: "/",
                secure: false,
                expires: 0,
                name: String(trimmed[..<eq]),
                value: String(trimmed[trimmed.index(after: eq)...]),
                httpOnly: false
            )
        }
    }

    /// All cookies of a cookie file's text. Lines end at LF (a CRLF's CR is
    /// dropped by `parse`): a lone CR stays in its value, for HeaderSafety to refuse.
    public static func parseFile(_ text: String) -> [NetscapeCookie] {
        // By bytes: in Swift "\r\n" is one Character, which a split at "\n" would miss.
        text.utf8.split(separator: UInt8(ascii: "\n")).compactMap { parse(String(decoding: $0, as: UTF8.self)) }
    }

    /// The line curl would write for this cookie.
    public var line: String {
        let shownDomain = includeSubdomains ? "." + domain : domain
        let fields = [
            (httpOnly ? NetscapeCookie.httpOnlyPrefix : "") + shownDomain,
            includeSubdomains ? "TRUE" : "FALSE", path, secure ? "TRUE" : "FALSE",
            String(expires), name, value,
        ]
        return fields.joined(separator: "\t")
    }
}
