import Hummingbird

import struct WSAuthKit.Secret

/// `POST /oauth/revoke` (RFC 7009): a refresh token or an access token ends its whole
/// session, as `/auth/logout` does. §2.2: an unknown or invalid token is answered 200
/// too, since the client's aim (the token no longer works) is met.
struct RevocationRoute: Sendable {
    let auth: AuthService
    let log: ServerLog

    private struct Fields: Decodable {
        let token: String?
        let token_type_hint: String?
    }

    func register(on router: Router<some RequestContext>) {
        router.post(RouterPath(OAuthPaths.revocation)) { request, _ in try await revoke(request) }
    }

    private func revoke(_ request: Request) async throws -> Response {
        let fields = try await request.decodeFields(Fields.self)
        guard let token = fields.token, !token.isEmpty else {
            throw AuthError.invalidRequest("missing token (RFC 7009 2.1)")
        }
        // §2.1: the hint only speeds up the lookup; both kinds are tried.
        let sessionID = auth.sessions.sessionID(forRefreshToken: token) ?? (try? auth.sessionID(ofSignedToken: token))
        if let sessionID, let subject = auth.sessions.revoke(sessionID: sessionID) {
            auth.counters.add(\.logouts)
            log(
                "revoke \(subject): session \(Secret.redact(sessionID)) ended by its \(fields.token_type_hint ?? "token")"
            )
        } else {
            log("revoke: \(Secret.redact(token)) is not a token of a session; nothing to do")
        }
        return Response(status: .ok, headers: [.cacheControl: "no-store"])
    }
}
