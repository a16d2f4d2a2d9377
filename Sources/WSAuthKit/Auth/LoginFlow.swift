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
    case oauth(
        grant: OAuthGrant,
        user: String?,
        password: Secret?,
        clientID: String?,
        clientSecret: Secret?,
        scope: String?
    )
    /// The token request that ends an interactive grant (authorization code, device code).
    case exchange(TokenRequest)
}

/// A token request built by an interactive flow (RFC 6749 §4.1.3, RFC 8628 §3.4):
/// its grant type and parameters, sent as a form with the client's credentials.
public struct TokenRequest: Sendable {
    /// Nil for RFC 8628 §3.1's device authorization request, which names no grant.
    public var grantType: String?
    public var parameters: [(String, String)]
    public var clientID: String?
    public var clientSecret: Secret?

    public init(grantType: String?, parameters: [(String, String)], clientID: String?, clientSecret: Secret?) {
        self.grantType = grantType
        self.parameters = parameters
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    /// The form and headers, with the client's authentication (`ClientAuthentication`).
    func httpRequest(url: String) -> HTTPRequest {
        var headers = [
            HTTPHeader(name: "Accept", value: "application/json"),
            HTTPHeader(name: "Content-Type", value: "application/x-www-form-urlencoded"),
        ]
        var pairs = (grantType.map { [("grant_type", $0)] } ?? []) + parameters
        // RFC 8628 §3.1's request names no grant; every other one goes to the token endpoint.
        ClientAuthentication.apply(
            clientID: clientID,
            secret: clientSecret,
            to: grantType == nil ? .deviceAuthorization : .token,
            headers: &headers,
            form: &pairs
        )
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

    public init(
        url: String,
        body: LoginBody,
        paths: TokenPaths = TokenPaths(),
        webSocket: WebSocketURL? = nil,
        refresh: RefreshEndpoint? = nil,
        revocationURL: String? = nil
    ) {
        self.url = url
        self.body = body
        self.paths = paths
        self.webSocket = webSocket
        self.refresh = refresh
        self.revocationURL = revocationURL
    }
}

/// POSTs credentials, has `LoginAnswer` find the tokens and cookies in the
/// answer, and stores the result for the profile.
public struct LoginFlow: Sendable {
    public var store: CredentialStore
    public var transport: TransportOptions
    public var http: any HTTPExecutor

    /// `http` nil sends with libcurl (`HTTPClient`).
    public init(store: CredentialStore, transport: TransportOptions, http: (any HTTPExecutor)? = nil) {
        self.store = store
        self.transport = transport
        self.http = http ?? HTTPClient(options: transport)
    }

    public func run(_ request: LoginRequest, emit: (Event) -> Void) throws(Failure) -> Credentials {
        let response = try http.exchange(httpRequest(request), cookies: [], emit: emit)
        return try accept(response, for: request, emit: emit)
    }

    /// Interprets a login answer and stores what it holds.
    func accept(
        _ response: HTTPResponse,
        for request: LoginRequest,
        emit: (Event) -> Void
    ) throws(Failure) -> Credentials {
        let answer = try LoginAnswer.interpret(response, for: request, now: Timestamp.now)
        try store.locked { (transaction: inout CredentialStore.Transaction) throws(Failure) in
            if case .corrupt(let message) = try transaction.read() { emit(Event(.note(message))) }
            try transaction.write(answer.credentials)
        }
        emit(Event(.login(answer.report)))
        return answer.credentials
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
                body = JSONValue.object([("username", .string(user)), ("password", .string(password.reveal()))])
                    .serialized()
            }
        case .exchange(let exchange):
            return exchange.httpRequest(url: request.url)
        case .raw(let bytes):
            headers.append(HTTPHeader(name: "Content-Type", value: "application/json"))
            return HTTPRequest(method: "POST", url: request.url, headers: headers, body: bytes)
        case .oauth(let grant, let user, let password, let clientID, let clientSecret, let scope):
            // RFC 6749 §4.3.2 / §4.4.2: a form body with the client's authentication.
            headers.append(HTTPHeader(name: "Content-Type", value: "application/x-www-form-urlencoded"))
            var pairs = [("grant_type", grant.rawValue)]
            if grant == .password {
                pairs.append(("username", user ?? ""))
                pairs.append(("password", password?.reveal() ?? ""))
            }
            if let scope { pairs.append(("scope", scope)) }
            ClientAuthentication.apply(
                clientID: clientID,
                secret: clientSecret,
                to: .token,
                headers: &headers,
                form: &pairs
            )
            body = URLEncoding.form(pairs)
        }
        return HTTPRequest(method: "POST", url: request.url, headers: headers, body: Array(body.utf8))
    }
}

extension Failure {
    func prefixed(_ prefix: String) -> Failure {
        Failure(kind, prefix + message, exit: exitOverride)
    }
}
