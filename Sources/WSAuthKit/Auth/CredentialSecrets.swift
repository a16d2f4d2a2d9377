/// The secrets each holder of credentials carries, so that one call registers
/// them all with the `Redactor` before any of them goes on the wire
/// (docs/reference/behaviour.md "Conventions": tokens, refresh tokens, session cookies, passwords,
/// client secrets, `-H` values of credential headers, `-b` cookies, `user:pw@`).
extension Credentials {
    public var secrets: [Secret] {
        [accessToken, refreshToken, idToken].compactMap { $0 }
            + cookies.map { Secret($0.value) }
    }
}

extension TransportOptions {
    /// Credential-carrying `-H` values (`Authorization`, `Cookie`, `*-Token`,
    /// `*-Key`, `*Secret*`, `*Session*`), the cookies of `-b NAME=VALUE` or of a
    /// `-b FILE` in Netscape format, and the password of a proxy URL.
    public var secrets: [Secret] {
        var found: [Secret] = []
        for header in headers where Redactor.isCredentialHeader(header.name) {
            found.append(Secret(header.value))
            // `Bearer T`: the token alone is quoted back more often than the header.
            if let space = header.value.firstIndex(of: " ") {
                found.append(Secret(String(header.value[header.value.index(after: space)...].trimmingSpaces())))
            }
            if header.name.lowercased() == "cookie" { found += CookiePairs.values(header.value) }
        }
        found += GivenCookies.read(cookie, host: "").map { Secret($0.value) }
        if let proxy { found += URLUserinfo.secrets(in: proxy) }
        return found
    }
}

/// `NAME=VALUE; NAME=VALUE`, as `-b` and a Cookie header hold them.
enum CookiePairs {
    static func values(_ text: String) -> [Secret] {
        text.split(separator: ";").compactMap { pair in
            guard let eq = pair.firstIndex(of: "=") else { return nil }
            return Secret(String(pair[pair.index(after: eq)...].trimmingSpaces()))
        }
    }
}

/// `scheme://user:password@host/…` (RFC 3986 §3.2.1): the password, and the
/// whole userinfo, are secrets wherever the URL is shown.
public enum URLUserinfo {
    public static func secrets(in url: String) -> [Secret] {
        guard let schemeEnd = url.firstRange(of: "://") else { return [] }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@") else { return [] }
        let userinfo = authority[..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return [] }
        let password = userinfo[userinfo.index(after: colon)...]
        return password.isEmpty ? [] : [Secret(String(userinfo)), Secret(String(password))]
    }
}
