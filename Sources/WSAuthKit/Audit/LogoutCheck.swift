/// A token or session after logout: POST the logout URL with the credentials, then
/// open a handshake with the same ones. This revokes what it uses (a throwaway login
/// when the profile can make one, else the credentials given), so it runs last.
extension AuditCheck {
    static let afterLogout = AuditCheck(.afterLogout, needs: [.credentials, .logoutURL]) { context in
        guard let logoutURL = context.logoutURL else { return AuditFinding(.skip, "no logout URL given") }
        // A throwaway login when there is one: revoking it costs nobody a session.
        let token = context.throwaway.map(\.token) ?? context.token
        let cookie = context.throwaway.map(\.cookie) ?? context.sessionCookie
        let whose = context.throwaway == nil ? "" : " of a throwaway login"
        // A refusal of an expired token would say nothing about revocation.
        let tokenUsable = token.map { (JWT.decode($0.reveal())?.expiresAt).map { $0 > Timestamp.now } ?? true } ?? false
        guard tokenUsable || cookie != nil else {
            return AuditFinding(
                .skip,
                "the token has expired by now (after --watch-expiry), so a refusal would not show that logout revoked it; give a session cookie or audit the logout separately"
            )
        }
        var headers = [HTTPHeader(name: "Content-Type", value: "application/json")]
        // The token goes where the audit sends it (a stored one only to its hosts, checked at set-up).
        if let token { headers.append(HTTPHeader(name: "Authorization", value: "Bearer \(token.reveal())")) }
        // `-H`, `-b` and the session cookie were chosen for the WebSocket: they go
        // to the logout URL only on its host (RequestCredentials), not to another.
        var credentials = RequestCredentials(transport: context.http.options)
        credentials.givenCookies = cookie.map { [$0.hostOnly(for: context.url.host)] } ?? []
        let request = credentials.attach(
            to: HTTPRequest(method: "POST", url: logoutURL, headers: headers, body: Array("{}".utf8))
        )
        let response: HTTPResponse
        do throws(Failure) {
            response = try context.http.perform(request)
        } catch {
            return AuditFinding(.skip, "the logout request failed: \(error.message)")
        }
        let logout = "POST \(logoutURL)\(whose) answered \(response.status)"
        guard (200..<300).contains(response.status) else {
            return AuditFinding(.skip, "\(logout): nothing is known to be revoked")
        }
        var findings: [AuditFinding] = []
        if tokenUsable, let token {
            let plan = context.plan(context.presenting(token))
            findings.append(AuditRules.mustRefuse(context.probe.attempt(plan), "the logged-out token"))
        }
        if let cookie {
            let plan = context.plan(.sessionCookie(cookie))
            findings.append(AuditRules.mustRefuse(context.probe.attempt(plan), "the logged-out session cookie"))
        }
        let worst = findings.first { $0.verdict == .fail } ?? findings.first { $0.verdict == .skip } ?? findings.first
        let details = findings.map(\.detail).joined(separator: "; ")
        return AuditFinding(worst?.verdict ?? .skip, "after \(logout), \(details)")
    }
}

extension SessionCookieCredential {
    /// As a `-b NAME=VALUE` cookie for `host`: host-only, path `/`.
    fileprivate func hostOnly(for host: String) -> NetscapeCookie {
        NetscapeCookie(
            domain: CookieRules.canonicalHost(host),
            includeSubdomains: false,
            path: "/",
            secure: false,
            expires: 0,
            name: name,
            value: value.reveal(),
            httpOnly: false
        )
    }
}
