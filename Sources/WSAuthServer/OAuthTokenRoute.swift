import HTTPTypes
import Hummingbird

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST /oauth/token`, the RFC 6749 token endpoint: the password (§4.3),
/// client credentials (§4.4) and refresh token (§6) grants, with §5.2 errors, and the
/// interactive grants: authorization code with PKCE (§4.1) and device code (RFC 8628).
///
/// Clients: every user is also a confidential client whose secret is its password.
/// Client authentication is optional for the password and refresh grants (a public
/// client, §2.1) but checked whenever credentials are sent.
struct OAuthTokenRoute: Sendable {
    let auth: AuthService
    let codes: AuthorizationCodeGrant
    let devices: DeviceCodeGrant
    let log: ServerLog

    private enum GrantType: String {
        case password
        case clientCredentials = "client_credentials"
        case refreshToken = "refresh_token"
        case authorizationCode = "authorization_code"
        case deviceCode = "urn:ietf:params:oauth:grant-type:device_code"
    }

    private struct Fields: Decodable {
        let grant_type: String?
        let username: String?
        let password: String?
        let refresh_token: String?
        let client_id: String?
        let client_secret: String?
        let code: String?
        let redirect_uri: String?
        let code_verifier: String?
        let device_code: String?
    }

    private struct ClientCredentials {
        let id: String
        let secret: String
    }

    func register(on router: Router<some RequestContext>) {
        router.post(RouterPath(OAuthPaths.token)) { request, _ in try await token(request) }
    }

    private func token(_ request: Request) async throws -> Response {
        let fields = try await request.decodeFields(Fields.self)
        let client = try authenticatedClient(request.headers, fields)
        guard let grantName = fields.grant_type else { throw AuthError.invalidRequest("missing grant_type") }
        guard let grant = GrantType(rawValue: grantName) else {
            throw AuthError(
                status: .badRequest,
                code: "unsupported_grant_type",
                description:
                    "grant_type \(grantName) is not supported; see grant_types_supported in /.well-known/oauth-authorization-server"
            )
        }
        let outcome = try issue(grant, fields, client: client, issuer: OAuthPaths.issuer(of: request))
        log("\(grant.rawValue) grant for \(outcome.tokens.session.subject): \(AuthRoutes.describe(outcome.tokens))")
        return JSONResponse.make(
            TokenResponse(outcome.tokens, idToken: outcome.idToken, scope: outcome.scope),
            headers: [HTTPField.Name("Pragma")!: "no-cache"]
        )
    }

    private func issue(
        _ grant: GrantType,
        _ fields: Fields,
        client: ClientCredentials?,
        issuer: String
    ) throws -> GrantOutcome {
        switch grant {
        case .password:
            guard let username = fields.username, let password = fields.password else {
                throw AuthError.invalidRequest("the password grant needs username and password")
            }
            guard auth.isValid(user: username, password: password) else {
                throw AuthError.invalidGrant("wrong username or password")
            }
            auth.counters.add(\.logins)
            return GrantOutcome(tokens: auth.login(subject: username))
        case .clientCredentials:
            guard let client else {
                throw AuthError.invalidClient(
                    "client_credentials needs client_id and client_secret (HTTP Basic or form)"
                )
            }
            // No refresh token for this grant (§4.4.3): the client can always ask again.
            return GrantOutcome(tokens: auth.login(subject: client.id, withRefreshToken: false))
        case .refreshToken:
            guard let refreshToken = fields.refresh_token else {
                throw AuthError.invalidRequest("the refresh_token grant needs refresh_token")
            }
            do {
                return GrantOutcome(tokens: try auth.refresh(refreshToken))
            } catch {
                throw AuthError.invalidGrant(error.description)
            }
        case .authorizationCode:
            return try codes.redeem(
                code: fields.code,
                redirectURI: fields.redirect_uri,
                verifier: fields.code_verifier,
                clientID: client?.id ?? fields.client_id,
                issuer: issuer
            )
        case .deviceCode:
            return try devices.redeem(
                deviceCode: fields.device_code,
                clientID: client?.id ?? fields.client_id,
                issuer: issuer
            )
        }
    }

    /// §2.3.1: HTTP Basic (id and secret form-urlencoded first) or the form fields,
    /// never both (§2.3).
    private func authenticatedClient(_ headers: HTTPFields, _ fields: Fields) throws -> ClientCredentials? {
        let basic = try Self.basicCredentials(headers)
        let form = fields.client_secret.map { ClientCredentials(id: fields.client_id ?? "", secret: $0) }
        if basic != nil, form != nil {
            throw AuthError.invalidRequest(
                "client credentials sent twice (Basic and form); use one method (RFC 6749 2.3)"
            )
        }
        guard let client = basic ?? form else { return nil }
        guard auth.isValid(user: client.id, password: client.secret) else {
            throw AuthError.invalidClient("unknown client or wrong client secret")
        }
        return client
    }

    private static func basicCredentials(_ headers: HTTPFields) throws -> ClientCredentials? {
        guard let value = headers[.authorization], value.lowercased().hasPrefix("basic ") else { return nil }
        guard let decoded = Data(base64Encoded: String(value.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8),
            let colon = text.firstIndex(of: ":"),
            let id = formDecoded(text[..<colon]),
            let secret = formDecoded(text[text.index(after: colon)...])
        else {
            throw AuthError.invalidClient("malformed Basic credentials")
        }
        return ClientCredentials(id: id, secret: secret)
    }

    /// application/x-www-form-urlencoded: `+` is a space, then percent-escapes.
    private static func formDecoded(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
