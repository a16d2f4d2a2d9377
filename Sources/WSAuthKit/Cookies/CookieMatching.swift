/// The cookies that RFC 6265 §5.4 step 1 lets through, in step 2's order
/// (longer paths first; the sort is stable, so otherwise in stored order): those
/// of the handshake's `Cookie` header. libcurl has no call that gives this header
/// for a URL, and the handshake is written by hand over a CONNECT_ONLY
/// connection, so the matching is done here.
public func matchingCookies(
    for url: WebSocketURL,
    cookies: [NetscapeCookie],
    now: Timestamp = Timestamp.now
) -> [NetscapeCookie] {
    matchingCookies(for: RequestTarget(url), cookies: cookies, now: now)
}

/// The same rules for any request: an HTTP one's `Cookie` header too.
public func matchingCookies(
    for target: RequestTarget,
    cookies: [NetscapeCookie],
    now: Timestamp = Timestamp.now
) -> [NetscapeCookie] {
    let host = CookieRules.canonicalHost(target.host)
    let nowSeconds = Int64(now.timeIntervalSince1970)
    let selected = cookies.filter { cookie in
        let domainOK =
            cookie.includeSubdomains
            ? CookieRules.domainMatches(host: host, domain: cookie.domain)
            : host == cookie.domain
        // A Secure cookie only goes over a secure channel: wss:// or https:// (§5.4 step 1).
        let secureOK = !cookie.secure || target.secure
        // Expiry 0 is a session cookie, kept for as long as the store keeps it.
        let fresh = cookie.expires == 0 || cookie.expires > nowSeconds
        return domainOK && secureOK && fresh
            && CookieRules.pathMatches(requestPath: target.path, cookiePath: cookie.path)
    }
    let ordered = selected.enumerated().sorted {
        (lhs: (offset: Int, element: NetscapeCookie), rhs: (offset: Int, element: NetscapeCookie)) -> Bool in
        let left = lhs.element.path.count
        let right = rhs.element.path.count
        return left != right ? left > right : lhs.offset < rhs.offset
    }
    return ordered.map(\.element)
}

/// The matching rules of RFC 6265 §5.1.3 and §5.1.4.
public enum CookieRules {
    /// Lower-cased, brackets of an IPv6 literal removed.
    public static func canonicalHost(_ host: String) -> String {
        var result = host.lowercased()
        if result.hasPrefix("["), result.hasSuffix("]") { result = String(result.dropFirst().dropLast()) }
        return result
    }

    /// §5.1.3: identical, or the host ends with "." + domain and is a host name, not an IP address.
    public static func domainMatches(host: String, domain: String) -> Bool {
        let host = canonicalHost(host)
        let domain = domain.lowercased().drop { $0 == "." }
        if host == domain { return true }
        return host.hasSuffix("." + domain) && !isIPAddress(host)
    }

    /// §5.1.4.
    public static func pathMatches(requestPath: String, cookiePath: String) -> Bool {
        let request = requestPath.isEmpty ? "/" : requestPath
        if request == cookiePath { return true }
        guard request.hasPrefix(cookiePath) else { return false }
        return cookiePath.hasSuffix("/") || request.dropFirst(cookiePath.count).hasPrefix("/")
    }

    /// §5.1.4's default-path of a request path: up to, not including, the last "/".
    public static func defaultPath(_ requestPath: String) -> String {
        guard requestPath.hasPrefix("/"), let last = requestPath.lastIndex(of: "/"), last != requestPath.startIndex
        else {
            return "/"
        }
        return String(requestPath[..<last])
    }

    static func isIPAddress(_ host: String) -> Bool {
        if host.contains(":") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }
}
