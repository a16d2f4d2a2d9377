import HTTPTypes
import Hummingbird

import struct WSAuthKit.Secret

/// `GET /authorize` and `POST /authorize`: the authorization endpoint of the
/// authorization code grant (RFC 6749 §4.1.1) for native apps, PKCE required
/// (RFC 7636, S256 only) and redirects only to a loopback listener (RFC 8252 §7.3).
/// Any `client_id` is accepted: every client is public and unregistered, the loopback
/// rule standing in for registration.
struct AuthorizeRoute: Sendable {
    let auth: AuthService
    let codes: AuthorizationCodeStore
    let log: ServerLog

    /// The query of GET, and the form the consent page posts back (plus the user's answer).
    private struct Parameters: Decodable {
        let response_type: String?
        let client_id: String?
        let redirect_uri: String?
        let scope: String?
        let state: String?
        let code_challenge: String?
        let code_challenge_method: String?
        let nonce: String?
        let username: String?
        let password: String?
        let decision: String?
    }

    func register(on router: Router<some RequestContext>) {
        router.get(RouterPath(OAuthPaths.authorize)) { request, _ in show(request) }
        router.post(RouterPath(OAuthPaths.authorize)) { request, _ in
            try await decide(request.decodeFields(Parameters.self))
        }
    }

    private func show(_ request: Request) -> Response {
        do throws(AuthorizeRefusal) {
            return consentPage(try Self.validated(try Self.query(of: request)), failure: nil)
        } catch {
            return refused(error)
        }
    }

    private func decide(_ parameters: Parameters) -> Response {
        do throws(AuthorizeRefusal) {
            return try approve(parameters)
        } catch {
            return refused(error)
        }
    }

    private func refused(_ refusal: AuthorizeRefusal) -> Response {
        log("authorize refused: \(refusal.logLine)")
        return refusal.response
    }

    private static func query(of request: Request) throws(AuthorizeRefusal) -> Parameters {
        do {
            return try URLEncodedFormDecoder().decode(Parameters.self, from: request.uri.query ?? "")
        } catch {
            throw .page("the authorization request's query is not a valid form encoding")
        }
    }

    /// RFC 6749 §4.1.2.1: without a valid client and redirect URI the user is told on a
    /// page (never redirected to an unchecked URI); after that, errors go to the client.
    private static func validated(_ parameters: Parameters) throws(AuthorizeRefusal) -> AuthorizationRequest {
        guard let clientID = parameters.client_id, !clientID.isEmpty else { throw .page("missing client_id") }
        guard let redirect = LoopbackRedirect(parameters.redirect_uri) else {
            throw .page("redirect_uri must be a loopback URI, http://127.0.0.1:PORT/… (RFC 8252 7.3)")
        }
        let refuse = { (code: String, description: String) in
            AuthorizeRefusal.redirect(redirect, state: parameters.state, error: code, description: description)
        }
        guard parameters.response_type == "code" else {
            throw refuse("unsupported_response_type", "only response_type=code is supported")
        }
        guard let challenge = parameters.code_challenge, PKCEChallenge.isWellFormed(challenge) else {
            throw refuse("invalid_request", "code_challenge is required (PKCE, RFC 7636): 43-128 unreserved characters")
        }
        guard parameters.code_challenge_method == PKCEChallenge.method else {
            throw refuse("invalid_request", "code_challenge_method must be S256 (RFC 7636 4.3)")
        }
        return AuthorizationRequest(
            clientID: clientID,
            redirect: redirect,
            state: parameters.state,
            scope: parameters.scope,
            challenge: challenge,
            nonce: parameters.nonce
        )
    }

    private func approve(_ parameters: Parameters) throws(AuthorizeRefusal) -> Response {
        let request = try Self.validated(parameters)
        guard parameters.decision == "approve" else {
            throw .redirect(
                request.redirect,
                state: request.state,
                error: "access_denied",
                description: "the user denied the request"
            )
        }
        guard let user = parameters.username, auth.isValid(user: user, password: parameters.password ?? "") else {
            return consentPage(request, failure: "Wrong username or password.")
        }
        let grant = AuthorizationGrant(
            clientID: request.clientID,
            redirect: request.redirect,
            challenge: request.challenge,
            subject: user,
            scope: request.scope,
            nonce: request.nonce
        )
        let code = codes.issue(grant)
        log("authorize \(user) for client \(request.clientID): code \(Secret.redact(code))")
        var parameters = [("code", code)]
        if let state = request.state { parameters.append(("state", state)) }
        return AuthorizeRefusal.found(request.redirect.adding(parameters))
    }

    private func consentPage(_ request: AuthorizationRequest, failure: String?) -> Response {
        let fields = [
            ("response_type", "code"), ("client_id", request.clientID), ("redirect_uri", request.redirect.uri),
            ("scope", request.scope), ("state", request.state), ("code_challenge", request.challenge),
            ("code_challenge_method", PKCEChallenge.method), ("nonce", request.nonce),
        ]
        let notice = failure.map { "<p><strong>\(HTMLPage.escape($0))</strong></p>" } ?? ""
        let body = """
            \(notice)<p>The application <b>\(HTMLPage.escape(request.clientID))</b> asks to act as you\
            \(request.scope.map { " (scope: " + HTMLPage.escape($0) + ")" } ?? "").
            It will get its tokens on this computer, at \(HTMLPage.escape(request.redirect.uri)).</p>
            <form method="post" action="\(OAuthPaths.authorize)">
            \(fields.map { HTMLPage.hidden($0.0, $0.1) }.joined(separator: "\n"))
            \(HTMLPage.credentialFields)
            </form>
            """
        return HTMLPage.make(title: "wsauth serve: log in", body: body, status: failure == nil ? .ok : .unauthorized)
    }
}

/// An authorization request whose client, redirect and PKCE challenge were checked.
struct AuthorizationRequest: Sendable {
    let clientID: String
    let redirect: LoopbackRedirect
    let state: String?
    let scope: String?
    let challenge: String
    let nonce: String?
}

/// Why `/authorize` did not go on, answered the way RFC 6749 §4.1.2.1 says.
enum AuthorizeRefusal: Error {
    /// No trustworthy redirect URI: tell the user, 400.
    case page(String)
    /// The client's redirect gets `error`, `error_description` and `state`.
    case redirect(LoopbackRedirect, state: String?, error: String, description: String)

    var response: Response {
        switch self {
        case .page(let text):
            return HTMLPage.message("wsauth serve: bad authorization request", text, status: .badRequest)
        case .redirect(let redirect, let state, let error, let description):
            var parameters = [("error", error), ("error_description", description)]
            if let state { parameters.append(("state", state)) }
            return Self.found(redirect.adding(parameters))
        }
    }

    var logLine: String {
        switch self {
        case .page(let text): text
        case .redirect(_, _, let error, let description): "\(error): \(description)"
        }
    }

    static func found(_ location: String) -> Response {
        Response(status: .found, headers: [.location: location, .cacheControl: "no-store"])
    }
}
