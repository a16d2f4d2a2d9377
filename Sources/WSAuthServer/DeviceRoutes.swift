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
        let grant = devices.issue(clientID: clientID, scope: fields.scope)
        let verification = OAuthPaths.issuer(of: request) + OAuthPaths.deviceVerification
        log("device code for client \(clientID): user code \(grant.userCode), device code \(Secret.redact(grant.deviceCode))")
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

    /// The user's decision; only a user who logs in decides, either way.
    private func verify(_ fields: Verification) -> Response {
        let userCode = fields.user_code ?? ""
        guard devices.pendingClient(userCode: userCode) != nil else {
            return page(userCode: userCode, failure: "Unknown, expired or already used code.", status: .badRequest)
        }
        guard let user = fields.username, auth.isValid(user: user, password: fields.password ?? "") else {
            return page(userCode: userCode, failure: "Wrong username or password.", status: .unauthorized)
        }
        let approve = fields.decision == "approve"
        guard devices.decide(userCode: userCode, approve ? .approved(subject: user) : .denied) else {
            return page(userCode: userCode, failure: "Unknown, expired or already used code.", status: .badRequest)
        }
        log("device code \(UserCode.normalized(userCode)) \(approve ? "approved" : "denied") by \(user)")
        return HTMLPage.message(
            approve ? "Device approved" : "Device denied",
            approve ? "The device is logged in as \(user). You can close this page." : "The device was not let in."
        )
    }

    private func page(userCode: String?, failure: String?, status: HTTPResponse.Status) -> Response {
        let notice = failure.map { "<p><strong>\(HTMLPage.escape($0))</strong></p>" } ?? ""
        let body = """
            \(notice)<p>Enter the code your device shows, and log in to let it act as you.</p>
            <form method="post" action="\(OAuthPaths.deviceVerification)">
            <label>Code <input name="user_code" value="\(HTMLPage.escape(userCode ?? ""))" required></label>
            \(HTMLPage.credentialFields)
            </form>
            """
        return HTMLPage.make(title: "wsauth serve: connect a device", body: body, status: status)
    }
}
