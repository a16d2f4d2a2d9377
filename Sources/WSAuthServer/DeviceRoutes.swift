import HTTPTypes
import Hummingbird

import struct WSAuthKit.Secret

/// The device authorization grant's two ends (RFC 8628): `POST /device/code`, where a
/// device asks for codes (§3.1–3.2), and `/device`, the verification page where the
/// user enters the user code and approves or denies it (§3.3).
struct DeviceRoutes: Sendable {
    let auth: AuthService
    let devices: DeviceGrantStore
    let log: ServerLog

    private struct CodeRequest: Decodable {
        let client_id: String?
        let scope: String?
    }

    private struct CodeResponse: Encodable {
        let device_code: String
        let user_code: String
        let verification_uri: String
        let verification_uri_complete: String
        let expires_in: Int
        let interval: Int
    }

    private struct Verification: Decodable {
        let user_code: String?
        let username: String?
        let password: String?
        let decision: String?
        /// The consent page's ticket (`DeviceGrantStore.openConsent`).
        let consent: String?
    }

    func register(on router: Router<some RequestContext>) {
        router.post(RouterPath(OAuthPaths.deviceAuthorization)) { request, _ in try await issue(request) }
        router.get(RouterPath(OAuthPaths.deviceVerification)) { request, _ in
            page(userCode: request.uri.queryParameters["user_code"].map(String.init), failure: nil, status: .ok)
        }
        router.post(RouterPath(OAuthPaths.deviceVerification)) { request, _ in
            try await verify(request.decodeFields(Verification.self))
        }
    }

    /// §3.1: a public client names itself with `client_id`.
    private func issue(_ request: Request) async throws -> Response {
        let fields = try await request.decodeFields(CodeRequest.self)
        guard let clientID = fields.client_id, !clientID.isEmpty else {
            throw AuthError.invalidRequest("missing client_id (RFC 8628 3.1)")
        }
        let grant: DeviceGrant
        do {
            grant = try devices.issue(clientID: clientID, scope: fields.scope)
        } catch {
            // RFC 6749 §4.1.2.1's code for a server that cannot take the request now;
            // 429 and Retry-After (RFC 6585 §4) say when to try again.
            throw AuthError(
                status: .tooManyRequests,
                code: "temporarily_unavailable",
                description: "\(DeviceGrantStore.pendingLimit) device codes are waiting for approval already; "
                    + "approve, deny or let one expire, then ask again",
                headers: [.retryAfter: String(Int(DeviceGrantStore.interval))]
            )
        }
        let verification = OAuthPaths.issuer(of: request) + OAuthPaths.deviceVerification
        log(
            "device code for client \(clientID): user code \(grant.userCode), device code \(Secret.redact(grant.deviceCode))"
        )
        return JSONResponse.make(
            CodeResponse(
                device_code: grant.deviceCode,
                user_code: grant.userCode,
                verification_uri: verification,
                verification_uri_complete: verification + "?user_code=" + FormEncoding.escape(grant.userCode),
                expires_in: grant.expiresIn,
                interval: grant.interval
            )
        )
    }

    /// The verification page's answer. The password is checked before the user code,
    /// so a wrong password tells nothing about which codes are pending. A logged-in
    /// user is then shown the client and scope and answers with the page's ticket;
    /// a form that names its decision along with the password (`wsauth demo`,
    /// scripts) is decided at once. Only a user who logs in decides, either way.
    private func verify(_ fields: Verification) -> Response {
        let userCode = fields.user_code ?? ""
        let approve = fields.decision == "approve"
        if let ticket = fields.consent {
            guard let (user, grant) = devices.decide(userCode: userCode, ticket: ticket, approve: approve) else {
                return page(userCode: userCode, failure: Self.notPending, status: .badRequest)
            }
            return decided(userCode: userCode, grant: grant, approve: approve, by: user)
        }
        guard let user = fields.username, auth.isValid(user: user, password: fields.password ?? "") else {
            return page(userCode: userCode, failure: "Wrong username or password.", status: .unauthorized)
        }
        if fields.decision != nil {
            guard let grant = devices.decide(userCode: userCode, approve ? .approved(subject: user) : .denied) else {
                return page(userCode: userCode, failure: Self.notPending, status: .badRequest)
            }
            return decided(userCode: userCode, grant: grant, approve: approve, by: user)
        }
        guard let (ticket, grant) = devices.openConsent(userCode: userCode, subject: user) else {
            return page(userCode: userCode, failure: Self.notPending, status: .badRequest)
        }
        return consentPage(userCode: userCode, ticket: ticket, grant: grant, user: user)
    }

    private static let notPending = "Unknown, expired or already used code."

    private func decided(userCode: String, grant: PendingDeviceGrant, approve: Bool, by user: String) -> Response {
        log(
            "device code \(UserCode.normalized(userCode)) of client \(grant.clientID) \(approve ? "approved" : "denied") by \(user)"
        )
        return HTMLPage.message(
            approve ? "Device approved" : "Device denied",
            approve
                ? "\(Self.describe(grant)) is logged in as \(user). You can close this page."
                : "\(Self.describe(grant)) was not let in."
        )
    }

    /// §5.4: the user sees who asks before deciding.
    private func consentPage(userCode: String, ticket: String, grant: PendingDeviceGrant, user: String) -> Response {
        let body = """
            <p>\(HTMLPage.escape(Self.describe(grant))) asks to act as <strong>\(HTMLPage.escape(user))</strong>.</p>
            <p>Allow it only if you started this on your device and the code there is \(HTMLPage.escape(UserCode.normalized(userCode))).</p>
            <form method="post" action="\(OAuthPaths.deviceVerification)">
            \(HTMLPage.hidden("user_code", UserCode.normalized(userCode)))\(HTMLPage.hidden("consent", ticket))
            <button name="decision" value="approve">Allow</button> <button name="decision" value="deny">Deny</button>
            </form>
            """
        return HTMLPage.make(title: "wsauth serve: connect a device", body: body)
    }

    /// `The client "wsauth-cli" (scope openid profile)`.
    private static func describe(_ grant: PendingDeviceGrant) -> String {
        "The client \"\(grant.clientID)\" (\(grant.scope.map { "scope \($0)" } ?? "no scope"))"
    }

    private func page(userCode: String?, failure: String?, status: HTTPResponse.Status) -> Response {
        let notice = failure.map { "<p><strong>\(HTMLPage.escape($0))</strong></p>" } ?? ""
        let body = """
            \(notice)<p>Enter the code your device shows, and log in; the next page names the client that asks.</p>
            <form method="post" action="\(OAuthPaths.deviceVerification)">
            <label>Code <input name="user_code" value="\(HTMLPage.escape(userCode ?? ""))" required></label>
            \(HTMLPage.loginFields)
            <button>Continue</button>
            </form>
            """
        return HTMLPage.make(title: "wsauth serve: connect a device", body: body, status: status)
    }
}
