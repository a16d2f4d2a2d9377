import HTTPTypes
import Hummingbird

import struct WSAuthKit.Secret

/// The plain JSON (or form) endpoints many apps have: `/auth/login`, `/auth/refresh`,
/// `/auth/logout`.
struct AuthRoutes: Sendable {
    let auth: AuthService
    let log: ServerLog

    private struct LoginFields: Decodable {
        let username: String
        let password: String
    }

    private struct RefreshFields: Decodable {
        let refresh_token: String
    }

    private struct LogoutFields: Decodable {
        let refresh_token: String?
    }

    private struct LogoutResponse: Encodable {
        let revoked = true
        let sub: String
    }

    func register(on router: Router<some RequestContext>) {
        router.post("/auth/login") { request, _ in try await login(request) }
        router.post("/auth/refresh") { request, _ in try await refresh(request) }
        router.post("/auth/logout") { request, _ in try await logout(request) }
    }

    private func login(_ request: Request) async throws -> Response {
        let fields = try await request.decodeFields(LoginFields.self)
        guard auth.isValid(user: fields.username, password: fields.password) else {
            throw AuthError(
                status: .unauthorized,
                code: "invalid_credentials",
                description: "wrong username or password"
            )
        }
        let tokens = auth.login(subject: fields.username)
        auth.counters.add(\.logins)
        log("login \(fields.username): \(Self.describe(tokens))")
        return JSONResponse.make(
            TokenResponse(tokens),
            headers: [.setCookie: SessionCookie.set(sessionID: tokens.session.id)]
        )
    }

    private func refresh(_ request: Request) async throws -> Response {
        let fields = try await request.decodeFields(RefreshFields.self)
        do {
            let tokens = try auth.refresh(fields.refresh_token)
            log("refresh \(tokens.session.subject): \(Self.describe(tokens))")
            return JSONResponse.make(TokenResponse(tokens))
        } catch {
            throw AuthError(status: .unauthorized, code: "invalid_grant", description: error.description)
        }
    }

    /// Ends a session found through any credential of it: a bearer token (even an
    /// expired one), a refresh token, the session cookie or `X-Session-Token`.
    private func logout(_ request: Request) async throws -> Response {
        let fields = try await request.decodeFields(LogoutFields.self)
        let sessionID: String
        if let bearer = BearerCredential.token(in: request.headers) {
            do {
                sessionID = try auth.sessionID(ofSignedToken: bearer)
            } catch {
                throw AuthError(status: .unauthorized, code: "invalid_token", description: error.description)
            }
        } else if let refreshToken = fields.refresh_token {
            guard let id = auth.sessions.sessionID(forRefreshToken: refreshToken) else {
                throw AuthError(
                    status: .unauthorized,
                    code: "invalid_grant",
                    description: RefreshFailure.unknown.description
                )
            }
            sessionID = id
        } else if let id = request.cookies[SessionCookie.name]?.value ?? request.headers[.sessionToken] {
            sessionID = id
        } else {
            throw AuthError.invalidRequest(
                "nothing to log out: send Authorization: Bearer, a refresh_token, the \(SessionCookie.name) cookie or X-Session-Token"
            )
        }
        guard let subject = auth.sessions.revoke(sessionID: sessionID) else {
            throw AuthError(status: .unauthorized, code: "invalid_token", description: "unknown session")
        }
        auth.counters.add(\.logouts)
        log("logout \(subject): session \(Secret.redact(sessionID)) and its refresh tokens revoked")
        return JSONResponse.make(LogoutResponse(sub: subject), headers: [.setCookie: SessionCookie.clear])
    }

    static func describe(_ tokens: IssuedTokens) -> String {
        var text = "access \(Secret.redact(tokens.accessToken)) (\(tokens.expiresIn)s)"
        if let refreshToken = tokens.refreshToken {
            text += ", refresh \(Secret.redact(refreshToken))"
        }
        return text
    }
}
