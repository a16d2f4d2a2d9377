/// `login --grant authorization_code`: the authorization code grant (RFC 6749
/// §4.1) for a native app (RFC 8252) — PKCE S256 (RFC 7636), a loopback
/// redirect on 127.0.0.1 with a free port (§7.3), and `state` against forged
/// redirects (RFC 6749 §10.12).
public struct AuthorizationCodeFlow: Sendable {
    public var login: InteractiveLogin
    public var store: CredentialStore
    public var transport: TransportOptions
    /// False with `--no-browser`: the URL is only printed.
    public var openBrowser: Bool
    public var http: any HTTPExecutor

    /// `http` nil sends with libcurl (`HTTPClient`).
    public init(
        login: InteractiveLogin,
        store: CredentialStore,
        transport: TransportOptions,
        openBrowser: Bool,
        http: (any HTTPExecutor)? = nil
    ) {
        self.login = login
        self.store = store
        self.transport = transport
        self.openBrowser = openBrowser
        self.http = http ?? HTTPClient(options: transport)
    }

    public func run(emit: (Event) -> Void) throws(Failure) -> Credentials {
        guard let endpoint = login.metadata.authorizationEndpoint else {
            throw Failure(
                .protocol,
                "\(login.metadata.issuer) names no authorization_endpoint; use --grant device_code"
            )
        }
        // The challenge is libcrypto's SHA-256, and nothing has loaded it yet.
        try SystemLibraries.loadCrypto()
        let pkce = PKCE.generate()
        let state = RandomText.base64URL(bytes: 16)
        emit(Event(.secrets([pkce.verifier])))
        let listener = try LoopbackListener()
        let redirectURI = "http://127.0.0.1:\(listener.port)/callback"
        let url = authorizationURL(endpoint, redirectURI: redirectURI, state: state, challenge: pkce.challenge)
        let opened = openBrowser && Browser.open(url)
        emit(
            Event(
                .note(
                    (opened
                        ? "Opened your browser; if it did not show the login page, open:"
                        : "Open this URL in a browser to log in:") + "\n  \(url)"
                )
            )
        )
        emit(Event(.note("waiting up to \(login.timeout) for the browser at \(redirectURI) …")))
        let code = try awaitCode(listener, state: state, emit: emit)
        listener.close()
        let request = login.loginRequest(
            login.exchange(
                grantType: "authorization_code",
                [
                    ("code", code.reveal()), ("redirect_uri", redirectURI), ("code_verifier", pkce.verifier.reveal()),
                ]
            )
        )
        return try LoginFlow(store: store, transport: transport, http: http).run(request, emit: emit)
    }

    /// RFC 6749 §4.1.1 with RFC 7636 §4.3's challenge.
    func authorizationURL(_ endpoint: String, redirectURI: String, state: String, challenge: String) -> String {
        let pairs =
            [("response_type", "code"), ("client_id", login.clientID), ("redirect_uri", redirectURI)]
            + login.scopeParameters
            + [("state", state), ("code_challenge", challenge), ("code_challenge_method", PKCE.method)]
        return endpoint + (endpoint.contains("?") ? "&" : "?") + URLEncoding.form(pairs)
    }

    /// Waits for the redirect to /callback with our `state`. Any other request
    /// (a favicon, a stale tab, a forged redirect from another local process or
    /// page: RFC 6749 §10.12) gets 400 and the wait goes on; nothing it carries is
    /// trusted, so its `code` is not registered as a secret (it could blank out
    /// any word of the output).
    func awaitCode(_ listener: LoopbackListener, state: String, emit: (Event) -> Void) throws(Failure) -> Secret {
        let deadline = Deadline.after(login.timeout)
        while let (target, connection) = listener.nextRequest(deadline: deadline) {
            let query = RedirectQuery(target: target)
            guard query.path == "/callback", query["state"] == state else {
                listener.respond(
                    connection,
                    status: "400 Bad Request",
                    page: "Not the wsauth redirect it waits for (wrong path or state)."
                )
                emit(
                    Event(
                        .note(
                            "ignored a request to the redirect listener that is not the callback with wsauth's state (answered 400); still waiting"
                        )
                    )
                )
                continue
            }
            if let code = query["code"] { emit(Event(.secrets([Secret(code)]))) }
            if let error = query["error"] {
                listener.respond(
                    connection,
                    status: "200 OK",
                    page: "wsauth: the login was not completed. You can close this tab."
                )
                let description = query["error_description"].map { ": \($0)" } ?? ""
                throw Failure(.auth, "authorization refused: \(error)\(description); run 'wsauth login' to try again")
            }
            guard let code = query["code"], !code.isEmpty else {
                listener.respond(connection, status: "400 Bad Request", page: "wsauth: the redirect holds no code.")
                throw Failure(.protocol, "the redirect holds neither a code nor an error")
            }
            listener.respond(connection, status: "200 OK", page: "wsauth is logged in. You can close this tab.")
            return Secret(code)
        }
        throw Failure(
            .timeout,
            "no redirect from the browser within \(login.timeout); run 'wsauth login' again, or use --grant device_code where no browser can reach 127.0.0.1"
        )
    }
}
