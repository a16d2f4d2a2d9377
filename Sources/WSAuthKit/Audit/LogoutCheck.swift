#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A token or session after logout: POST the logout URL with the credentials, then
/// open a handshake with the same ones. This revokes what it is given, so it runs last.
extension AuditCheck {
    static let afterLogout = AuditCheck(.afterLogout, needs: [.credentials, .logoutURL]) { context in
        guard let logoutURL = context.logoutURL else { return Finding(.skip, "no logout URL given") }
        // A refusal of an expired token would say nothing about revocation.
        let tokenUsable = context.token != nil && (context.tokenExpiry.map { $0 > Date() } ?? true)
        guard tokenUsable || context.sessionCookie != nil else {
            return Finding(.skip, "the token has expired by now (after --watch-expiry), so a refusal would not show that logout revoked it; give --session-cookie or audit the logout separately")
        }
        var headers = [HTTPHeader(name: "Content-Type", value: "application/json")]
        if let token = context.token { headers.append(HTTPHeader(name: "Authorization", value: "Bearer \(token.reveal())")) }
        if let cookie = context.sessionCookie { headers.append(HTTPHeader(name: "Cookie", value: "\(cookie.name)=\(cookie.value.reveal())")) }
        let response: HTTPResponse
        do throws(Failure) {
            response = try context.http.perform(HTTPRequest(method: "POST", url: logoutURL, headers: headers, body: Array("{}".utf8)))
        } catch {
            return Finding(.skip, "the logout request failed: \(error.message)")
        }
        let logout = "POST \(logoutURL) answered \(response.status)"
        guard (200..<300).contains(response.status) else {
            return Finding(.skip, "\(logout): nothing is known to be revoked")
        }
        var findings: [Finding] = []
        if tokenUsable, let token = context.presentedToken {
            findings.append(AuditRules.mustRefuse(context.prober.attempt(context.plan(token)), "the logged-out token"))
        }
        if let cookie = context.sessionCookie {
            findings.append(AuditRules.mustRefuse(context.prober.attempt(context.plan(.sessionCookie(cookie))), "the logged-out session cookie"))
        }
        let worst = findings.first { $0.verdict == .fail } ?? findings.first { $0.verdict == .skip } ?? findings.first
        let details = findings.map(\.detail).joined(separator: "; ")
        return Finding(worst?.verdict ?? .skip, "after \(logout), \(details)")
    }
}
