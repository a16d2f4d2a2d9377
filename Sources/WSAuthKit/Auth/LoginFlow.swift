#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The OAuth 2.0 grants `login --grant` speaks (RFC 6749 §4.3, §4.4).
public enum OAuthGrant: String, Sendable, CaseIterable {
    case password
    case clientCredentials = "client_credentials"
}

/// What `wsauth login` sends.
public enum LoginBody: Sendable {
    /// `{"username":…, "password":…}`, or the same as a form with `form`.
    case credentials(user: String, password: Secret, form: Bool)
    /// `-d/--data`: sent as given, as JSON.
    case raw([UInt8])
    /// An RFC 6749 token request.
    case oauth(grant: OAuthGrant, user: String?, password: Secret?, clientID: String?, clientSecret: Secret?, scope: String?)
    /// The token request that ends an interactive grant (authorization code, device code).
    case exchange(TokenExchange)
}

/// A token request built by an interactive flow (RFC 6749 §4.1.3, RFC 8628 §3.4):
/// its grant type and parameters, sent as a form with the client's credentials.
public struct TokenExchange: Sendable {
    /// Nil for RFC 8628 §3.1's device authorization request, which names no grant.
    public var grantType: String?
    public var parameters: [(String, String)]
    public var clientID: String?
    public var clientSecret: Secret?

    public init(grantType: String?, parameters: [(String, String)], clientID: String?, clientSecret: Secret?) {
        self.grantType = grantType; self.parameters = parameters; self.clientID = clientID; self.clientSecret = clientSecret
    }

    /// The form and headers; a client with a secret authenticates with HTTP Basic
    /// (RFC 6749 §2.3.1), one without names itself in `client_id`.
    func httpRequest(url: String) -> HTTPRequest {
        var headers = [HTTPHeader(name: "Accept", value: "application/json"),
                       HTTPHeader(name: "Content-Type", value: "application/x-www-form-urlencoded")]
        var pairs = (grantType.map { [("grant_type", $0)] } ?? []) + parameters
        if let clientID, let clientSecret {
            headers.append(EndpointAnswer.basicAuthorization(clientID: clientID, secret: clientSecret))
        } else if let clientID {
            pairs.append(("client_id", clientID))
        }
        return HTTPRequest(method: "POST", url: url, headers: headers, body: Array(URLEncoding.form(pairs).utf8))
    }
}

public struct LoginRequest: Sendable {
    public var url: String
    public var body: LoginBody
    public var paths: TokenPaths
    /// The WebSocket the session is for, to check that the cookies will reach it.
    public var webSocket: WebSocketURL?
    /// Where to refresh later; an OAuth login refreshes at its token endpoint by default.
    public var refresh: RefreshEndpoint?
    /// The revocation endpoint discovery found, kept for `logout`.
    public var revocationURL: String?

    public init(url: String, body: LoginBody, paths: TokenPaths = TokenPaths(), webSocket: WebSocketURL? = nil,
                refresh: RefreshEndpoint? = nil, revocationURL: String? = nil) {
        self.url = url; self.body = body; self.paths = paths; self.webSocket = webSocket; self.refresh = refresh
        self.revocationURL = revocationURL
    }
}

/// POSTs credentials, finds the tokens and cookies in the answer, checks the
/// cookies, and stores the result for the profile.
public struct LoginFlow: Sendable {
    public var store: CredentialStore
    public var transport: TransportOptions

    public init(store: CredentialStore, transport: TransportOptions) {
        self.store = store; self.transport = transport
    }

    public func run(_ request: LoginRequest, emit: (Event) -> Void) throws(Failure) -> Credentials {
        let outgoing = httpRequest(request)
        HTTPTrace.request(outgoing, transport: transport, emit: emit)
        let response = try HTTPClient(options: transport).perform(outgoing)
        HTTPTrace.response(response, transport: transport, emit: emit)
        return try accept(response, for: request, emit: emit)
    }

    /// Finds the tokens and cookies of a login answer, checks them and stores them.
    func accept(_ response: HTTPResponse, for request: LoginRequest, emit: (Event) -> Void) throws(Failure) -> Credentials {
        let setCookies = response.headers("set-cookie").compactMap(SetCookie.parse)
        // A session login often answers 302 to the app with its cookie.
        let redirectWithCookie = (300..<400).contains(response.status) && !setCookies.isEmpty
        guard (200..<300).contains(response.status) || redirectWithCookie else {
            throw EndpointAnswer.failure(response, what: "login", url: request.url,
                                         hint: "check the user, password or client credentials")
        }

        var tokens = LocatedTokens()
        var idToken: Secret?
        switch EndpointAnswer.json(response) {
        case .success(let json):
            tokens = try TokenLocator.locate(in: json, paths: request.paths)
            try EndpointAnswer.checkHeaderSafe(tokens, what: "login")
            // OpenID Connect Core §3.1.3.3: kept for `token --decode --id`.
            idToken = json["id_token"]?.stringValue.map(Secret.init)
        case .failure(let failure):
            // cli.md "Sessions": a session cookie and no token is a successful login.
            guard !setCookies.isEmpty else { throw failure.prefixed("login answer unusable: ") }
        }
        if tokens.access == nil, setCookies.isEmpty {
            let looked = "access_token, data.access_token, token, tokens.access_token, accessToken …"
            throw Failure(.protocol, "login answer holds no access token (looked at \(looked)) and set no cookie; pass --token-path PATH")
        }

        let now = Date()
        let jwt = tokens.access.flatMap { JWT.decode($0.reveal()) }
        let idClaims = idToken.flatMap { JWT.decode($0.reveal()) }
        let expiresAt = jwt?.expiresAt ?? tokens.expiresIn.map { now.addingTimeInterval($0) }
        var credentials = Credentials(
            accessToken: tokens.access, refreshToken: tokens.refresh,
            tokenType: tokens.tokenType ?? (tokens.access == nil ? nil : "Bearer"),
            expiresAt: expiresAt, user: user(request, jwt) ?? idClaims?.user, cookies: response.cookieLines,
            loginCookieNames: setCookies.map(\.name), refreshEndpoint: refreshEndpoint(request), obtainedAt: now,
            webSocketURL: request.webSocket?.description)
        credentials.recordOrigin(request.url)
        credentials.idToken = idToken
        credentials.revocationURL = request.revocationURL

        let loginURL = URLParts(request.url)
        let warnings = setCookies.flatMap {
            CookieAudit.warnings(for: $0, loginHost: loginURL.host, loginPath: loginURL.path,
                                 webSocket: request.webSocket, onlyCookie: setCookies.count == 1)
        }
        try store.locked { (transaction: inout CredentialStore.Transaction) throws(Failure) in
            if case .corrupt(let message) = try transaction.read() { emit(Event(.note(message))) }
            try transaction.write(credentials)
        }
        emit(Event(.login(LoginReport(
            ok: true, user: credentials.user, tokenType: credentials.tokenType, expiresAt: expiresAt,
            cookies: setCookies.map(\.name), warnings: warnings))))
        return credentials
    }

    func httpRequest(_ request: LoginRequest) -> HTTPRequest {
        var headers = [HTTPHeader(name: "Accept", value: "application/json")]
        let body: String
        switch request.body {
        case .credentials(let user, let password, let form):
            if form {
                headers.append(HTTPHeader(name: "Content-Type", value: "application/x-www-form-urlencoded"))
                body = URLEncoding.form([("username", user), ("password", password.reveal())])
            } else {
                headers.append(HTTPHeader(name: "Content-Type", value: "application/json"))
                body = JSONValue.object([("username", .string(user)), ("password", .string(password.reveal()))]).serialized()
            }
        case .exchange(let exchange):
            return exchange.httpRequest(url: request.url)
        case .raw(let bytes):
            headers.append(HTTPHeader(name: "Content-Type", value: "application/json"))
            return HTTPRequest(method: "POST", url: request.url, headers: headers, body: bytes)
        case .oauth(let grant, let user, let password, let clientID, let clientSecret, let scope):
            // RFC 6749 §4.3.2 / §4.4.2: a form body; the client authenticates with
            // HTTP Basic when it has a secret (§2.3.1), else names itself in client_id.
            headers.append(HTTPHeader(name: "Content-Type", value: "application/x-www-form-urlencoded"))
            var pairs = [("grant_type", grant.rawValue)]
            if grant == .password {
                pairs.append(("username", user ?? ""))
                pairs.append(("password", password?.reveal() ?? ""))
            }
            if let scope { pairs.append(("scope", scope)) }
            if let clientID, let clientSecret {
                headers.append(EndpointAnswer.basicAuthorization(clientID: clientID, secret: clientSecret))
            } else if let clientID {
                pairs.append(("client_id", clientID))
            }
            body = URLEncoding.form(pairs)
        }
        return HTTPRequest(method: "POST", url: request.url, headers: headers, body: Array(body.utf8))
    }

    func user(_ request: LoginRequest, _ jwt: JWT?) -> String? {
        switch request.body {
        case .credentials(let user, _, _): return user
        case .oauth(_, let user?, _, _, _, _): return user
        case .oauth(.clientCredentials, _, _, let clientID, _, _): return jwt?.user ?? clientID
        default: return jwt?.user
        }
    }

    func refreshEndpoint(_ request: LoginRequest) -> RefreshEndpoint? {
        if let refresh = request.refresh { return refresh }
        switch request.body {
        case .oauth(_, _, _, let clientID, _, _):
            return RefreshEndpoint(url: request.url, style: .oauth2, clientID: clientID)
        case .exchange(let exchange):
            return RefreshEndpoint(url: request.url, style: .oauth2, clientID: exchange.clientID)
        default: break
        }
        return nil
    }
}

extension Failure {
    func prefixed(_ prefix: String) -> Failure {
        Failure(kind, prefix + message, exit: exitOverride)
    }
}
