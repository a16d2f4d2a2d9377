/// The Set-Cookie headers of a login (docs/reference/behaviour.md `login`: `SameSite=None` without
/// `Secure`, a session cookie without `HttpOnly`, a `Domain` that misses the
/// WebSocket host), judged on the audit's throwaway login.
extension AuditCheck {
    static let loginCookies = AuditCheck(.loginCookies, needs: [.throwawayLogin]) { context in
        guard let login = context.throwaway else { return AuditFinding(.skip, context.noThrowaway) }
        guard !login.cookieNames.isEmpty else { return AuditFinding(.pass, "the login set no cookies") }
        let names = login.cookieNames.joined(separator: ", ")
        guard !login.cookieWarnings.isEmpty else {
            return AuditFinding(.pass, "the cookies the login set (\(names)) raise no warning")
        }
        return AuditFinding(
            .warn,
            "the cookies the login set (\(names)): \(login.cookieWarnings.joined(separator: "; "))"
        )
    }
}
