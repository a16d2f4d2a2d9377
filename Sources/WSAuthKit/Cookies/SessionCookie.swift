/// Which cookie carries the server session (docs/reference/behaviour.md "Sessions"): the one named by
/// `--session-cookie`, else the one cookie set at login, else the one with a
/// well-known session name.
public enum SessionCookie {
    /// Names frameworks give their session cookie (PHP, Java servlets, Laravel,
    /// Express, and the generic ones).
    public static let wellKnownNames = ["PHPSESSID", "JSESSIONID", "laravel_session", "connect.sid", "sid", "session"]

    /// True for a name that looks like a session cookie, for the HttpOnly audit.
    public static func looksLikeSession(_ name: String) -> Bool {
        let lower = name.lowercased()
        return wellKnownNames.contains { $0.lowercased() == lower } || lower.contains("sess") || lower.hasSuffix("sid")
    }

    /// The session cookie among `cookies`, by the rule above.
    public static func select(named: String?, cookies: [NetscapeCookie], loginCookieNames: [String]) -> NetscapeCookie?
    {
        if let named { return cookies.first { $0.name == named } }
        let setAtLogin = Set(loginCookieNames)
        if setAtLogin.count == 1, let only = cookies.first(where: { setAtLogin.contains($0.name) }) { return only }
        for name in wellKnownNames {
            if let cookie = cookies.first(where: { $0.name.lowercased() == name.lowercased() }) { return cookie }
        }
        return nil
    }
}
