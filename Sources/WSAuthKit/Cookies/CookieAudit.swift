/// Checks each cookie a login set against what the WebSocket handshake needs,
/// so that "the socket opens without my session" is explained at login time.
public enum CookieAudit {
    /// Warnings for one `Set-Cookie` from a response to `origin` (host and path of
    /// the login URL), with `webSocket` the URL the session is meant for, if known.
    public static func warnings(
        for cookie: SetCookie,
        loginHost: String,
        loginPath: String,
        webSocket: WebSocketURL?,
        onlyCookie: Bool
    ) -> [String] {
        var warnings: [String] = []
        let label = "cookie '\(cookie.name)'"
        // RFC 6265bis §5.4.7: browsers reject SameSite=None without Secure.
        if cookie.sameSite == SetCookie.SameSite.none, !cookie.secure {
            warnings.append("\(label) has SameSite=None without Secure: browsers reject it")
        }
        if !cookie.httpOnly, onlyCookie || SessionCookie.looksLikeSession(cookie.name) {
            warnings.append(
                "\(label) looks like a session cookie but lacks HttpOnly: page scripts can read (and leak) it"
            )
        }
        guard let webSocket else { return warnings }
        let wsHost = CookieRules.canonicalHost(webSocket.host)
        // Without Domain the cookie is host-only: it goes back to the login host alone (§5.3 step 6).
        let domain = cookie.domain ?? CookieRules.canonicalHost(loginHost)
        let domainOK = cookie.domain == nil ? wsHost == domain : CookieRules.domainMatches(host: wsHost, domain: domain)
        if !domainOK {
            let how = cookie.domain == nil ? "is host-only for \(domain)" : "has Domain=\(domain)"
            warnings.append("\(label) \(how), which does not match the WebSocket host \(wsHost): it will not be sent")
        }
        let path = cookie.path ?? CookieRules.defaultPath(loginPath)
        if !CookieRules.pathMatches(requestPath: webSocket.path, cookiePath: path) {
            let how = cookie.path == nil ? "defaults to Path=\(path) (from the login URL)" : "has Path=\(path)"
            warnings.append(
                "\(label) \(how), which does not cover the WebSocket path \(webSocket.path): it will not be sent"
            )
        }
        if cookie.secure, !webSocket.secure {
            warnings.append("\(label) is Secure but the WebSocket URL is ws://: it will not be sent; use wss://")
        }
        return warnings
    }
}
