/// cookies: which known cookies (stored and `-b`) go with the handshake to this URL,
/// and for each one that does not, the rule of RFC 6265 §5.4 step 1 that keeps it back.
public enum CookieCheck {
    public static func findings(
        _ cookies: [NetscapeCookie],
        url: WebSocketURL,
        now: Timestamp = Timestamp.now
    ) -> [DoctorFinding] {
        guard !cookies.isEmpty else { return [] }
        let sent = matchingCookies(for: url, cookies: cookies, now: now)
        var found: [DoctorFinding] = []
        if !sent.isEmpty {
            found.append(.ok(.cookies, "sent with the handshake: \(sent.map(\.name).joined(separator: ", "))"))
        }
        for cookie in cookies where !sent.contains(cookie) {
            if let (why, fix) = reason(cookie, url: url, now: now) {
                found.append(
                    .warn(.cookies, "the cookie \(cookie.name) is not sent to \(url.host)\(url.path): \(why)", fix: fix)
                )
            }
        }
        return found
    }

    /// The first rule the cookie fails, in the order a browser checks them, with its fix.
    static func reason(_ cookie: NetscapeCookie, url: WebSocketURL, now: Timestamp) -> (String, String)? {
        let host = url.host.lowercased()
        let domain = cookie.domain.lowercased().drop { $0 == "." }
        if !cookie.includeSubdomains, host != cookie.domain.lowercased() {
            if host.hasSuffix("." + domain) {
                return (
                    "it is host-only for \(domain) (set without Domain), and \(host) is a subdomain",
                    "have the server set it with `Domain=\(domain)`, or connect to \(domain)"
                )
            }
            return ("it belongs to \(domain), not \(host)", "connect to \(domain), or log in against \(host)")
        }
        if cookie.includeSubdomains, !CookieRules.domainMatches(host: host, domain: cookie.domain) {
            return (
                "its Domain=\(domain) does not cover \(host)",
                "set `Domain=` to a parent of \(host) on the server, or connect to a host under \(domain)"
            )
        }
        if !CookieRules.pathMatches(requestPath: url.path, cookiePath: cookie.path) {
            return (
                "its Path=\(cookie.path) does not cover \(url.path)",
                "have the server set it with `Path=/` (or a path that covers \(url.path))"
            )
        }
        if cookie.secure, !url.secure {
            return (
                "it is Secure and this is ws:// (Secure cookies go over TLS only)",
                "connect with wss://\(url.description.dropFirst("ws://".count))"
            )
        }
        if cookie.expires != 0, cookie.expires <= Int64(now.timeIntervalSince1970) {
            let ago = now.timeIntervalSince1970 - Double(cookie.expires)
            return ("it expired \(TimeSpan.format(seconds: ago)) ago", "run `wsauth login` again")
        }
        return nil
    }
}
