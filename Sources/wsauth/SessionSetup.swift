import ArgumentParser
import WSAuthKit

/// What `connect` and `probe` share: the URL, the credentials and how they are
/// presented, and the transport, turned into a `SessionDriver`.
///
/// Token source, first that is given (docs/reference/behaviour.md `connect`): `--token…`,
/// `WSAUTH_TOKEN`, the profile's stored token (refreshed first when it expires
/// within `--refresh-before`) when it belongs to the URL's host. `-b` and the
/// stored session cookies ride along as far as `RequestCredentials` lets them
/// (RFC 6265 §5.4), or go in `--session-header` instead.
struct SessionSetup {
    /// A profile's `user` and password are `login`'s: a STOMP login is given as flags
    /// (docs/reference/behaviour.md "Application protocols"), never taken from the profile by surprise.
    static let flagOnlyKeys: Set<String> = ["user", "password_env", "password_file", "password_stdin"]

    let url: WebSocketURL
    let transport: TransportOptions
    let presentation: TokenPresentation
    let credentials: CredentialFlags
    let output: Output
    let context: ProfileContext
    /// `--app`: nil for raw WebSocket messages.
    let app: AppSetup?
    private(set) var token: Secret?
    /// Set when the token came from the store: the driver can refresh it.
    private(set) var stored: StoredCredentials?
    /// How the stored token is refreshed: what `wsauth refresh` would do.
    private var refreshSettings: RefreshSettings?
    private let sessionHeader: String?
    private let sessionCookieName: String?

    init(url text: String?, profile flag: String?, credentials: CredentialFlags, app appFlags: AppFlags,
         transport flags: TransportFlags, output: Output) throws(Failure) {
        let name = try ProfileName.select(flag: flag)
        context = try ProfileContext(name)
        let remembered = try context.store.peek()
        // docs/reference/behaviour.md `login --ws-url`: remembered with the credentials.
        guard let urlText = text ?? context.settings.webSocketURL ?? remembered?.webSocketURL else {
            throw Failure.usage("no URL: pass ws://… or wss://…, set ws_url in profile \(name), or log in with --ws-url")
        }
        // Registered before anything can quote them, a refusal of the URL included.
        output.redactor.register(URLUserinfo.secrets(in: urlText) + URLQuerySecrets.secrets(in: urlText))
        app = try AppSetup(appFlags, credentials: credentials, url: urlText)
        output.redactor.register(app?.secrets ?? [])
        if let app { url = try app.url(urlText) } else { url = try WebSocketURL.parse(urlText) }
        var options = try flags.options()
        // `-H` and `-b` are given for the WebSocket: a token endpoint elsewhere gets neither.
        options.givenFor = url.host
        transport = options
        output.redactor.register(transport.secrets)
        presentation = credentials.presentation
        sessionHeader = credentials.sessionHeader
        sessionCookieName = credentials.sessionCookie
        self.credentials = credentials
        self.output = output

        token = try credentials.explicitToken()
        if token == nil {
            try loadStored(remembered)
        }
        if sessionHeader != nil, sessionCookie() == nil {
            throw Failure(.auth, "no session ID for --session-header: no stored cookie matches \(url.host) and -b gives none; run 'wsauth login' or pass -b NAME=VALUE")
        }
        if let token { output.redactor.register(token: token) }
        for cookie in knownCookies { output.redactor.register(Secret(cookie.value)) }
        try checkHeaderValues(token: token, source: stored == nil ? .user("the token given") : .server("the stored access token"))
        if token != nil || sessionHeader != nil || !plan(token: nil).cookies.isEmpty,
           let warning = CleartextWarning.message(url: url.description, secure: url.secure, host: url.host) {
            output.say(warning, to: .stderr)
        }
    }

    /// The stored credentials, refreshed first when they expire within
    /// `--refresh-before`, but only for a host they belong to (`CredentialScope`):
    /// any other host gets none of them, and no refresh is made for it.
    private mutating func loadStored(_ remembered: Credentials?) throws(Failure) {
        if let remembered {
            let scope = CredentialScope(credentials: remembered, settings: context.settings)
            guard scope.allows(url.host) else {
                output.say(scope.refusal(host: url.host, profile: context.profile.name, configFile: context.paths.configFile), to: .stderr)
                return
            }
        }
        let margin = credentials.refreshBefore ?? TimeSpan(seconds: 30)
        let output = output, settings = try RefreshOptions.settings(of: context)
        refreshSettings = settings
        stored = try resolveStoredCredentials(
            store: context.store, settings: settings, transport: transport, refreshMargin: margin, emit: { output.emit($0) })
        token = stored?.accessToken
    }

    /// Refuses (64) an explicit URL outside the stored credentials' hosts when
    /// they are in use (`audit --logout-url`), before any request is made.
    func requireStoredAllowed(_ url: String, for what: String) throws(Failure) {
        guard stored != nil, let current = try context.store.peek() else { return }
        try context.binding.scope(of: current).require(url, for: what, profile: context.profile.name,
                                                       configFile: context.paths.configFile)
    }

    /// Nothing from outside writes our requests (HeaderSafety): every value that
    /// goes into the handshake's headers is checked before anything is sent, with
    /// the source that makes a line break the server's fault (3) or the user's (64).
    private func checkHeaderValues(token: Secret?, source: ValueSource) throws(Failure) {
        if let token { try HeaderSafety.check(token.reveal(), source: source) }
        for cookie in stored?.cookies ?? [] {
            try HeaderSafety.check(cookie.line, source: .server("the stored cookie \(cookie.name)"))
        }
        let literal = transport.cookie?.contains("=") == true
        for cookie in requestCredentials.givenCookies {
            let source = literal ? "-b \(cookie.name)" : "the cookie \(cookie.name) of -b \(transport.cookie ?? "")"
            try HeaderSafety.check(cookie.value, source: .user(source))
        }
        if let origin = credentials.origin { try HeaderSafety.check(origin, source: .user("--origin")) }
        for subprotocol in credentials.subprotocol { try HeaderSafety.check(subprotocol, source: .user("--subprotocol")) }
        let templates = [("--auth-scheme", presentation.authScheme), ("--protocol-template", presentation.protocolTemplate),
                         ("--cookie-name", presentation.cookieName), ("--auth-header", presentation.authHeader),
                         ("--session-header", sessionHeader ?? "")]
        for (flag, value) in templates { try HeaderSafety.check(value, source: .user(flag)) }
    }

    /// `-b` (for this URL's host) and the stored cookies; what rides on the
    /// handshake, or is copied into a header, is what this lets through.
    var requestCredentials: RequestCredentials {
        RequestCredentials(transport: transport, stored: stored?.cookies ?? [])
    }

    /// Every cookie known, whether it may go to this URL or not (doctor's cookies finding).
    var knownCookies: [NetscapeCookie] {
        let credentials = requestCredentials
        return credentials.givenCookies + credentials.storedCookies
    }

    /// The cookies RFC 6265 §5.4 lets through to this URL.
    func handshakeCookies() -> [NetscapeCookie] {
        requestCredentials.cookies(for: RequestTarget(url))
    }

    /// The session cookie `audit` and doctor's placement search use: among the
    /// cookies that may go to this URL (`handshakeCookies`), the one `--session-cookie` (or `session_cookie`) names, else
    /// the one set at login, else the one with a well-known session name.
    func sessionCookie() -> NetscapeCookie? {
        return SessionCookie.select(named: sessionCookieName, cookies: handshakeCookies(),
                                    loginCookieNames: stored?.loginCookieNames ?? [])
    }

    /// The handshake as flags and credentials shape it, for the token of the moment.
    func plan(token: Secret?) -> HandshakePlan {
        var plan = HandshakePlan(url: url)
        plan.headers = transport.headers
        plan.origin = credentials.origin
        plan.subprotocols = (app?.subprotocols ?? []) + credentials.subprotocol
        if credentials.compress { plan.extensions = [DeflateParameters.offer] }
        if let sessionHeader, let session = sessionCookie() {
            // For clients without cookies: the session in a header, and no Cookie header.
            plan.headers.append(HTTPHeader(name: sessionHeader, value: session.value))
        } else {
            plan.cookies = handshakeCookies().map { (name: $0.name, value: $0.value) }
        }
        // With --app the token goes in the app's own handshake unless --token-in puts it in the upgrade.
        if let token, app?.tokenInPayload != true { presentation.apply(token, to: &plan) }
        return plan
    }

    /// `--token-file`: refreshing reads the file again, so whatever keeps it
    /// current (a sidecar, a projected service-account token, `wsauth token > FILE`)
    /// is the refresh; `/refresh` in the REPL picks up a token written meanwhile.
    private func tokenFileRefresher(emit: @escaping (Event) -> Void) -> TokenRefresher? {
        guard let path = credentials.token.sources.file else { return nil }
        let redactor = output.redactor
        var current = token
        return { () throws(Failure) -> Secret? in
            guard let token = try? SecretSource.file(path).read(flag: "--token") else {
                throw Failure(.auth, "--token-file \(path): the file is gone or empty; no token to refresh with")
            }
            try HeaderSafety.check(token.reveal(), source: .user("the token in --token-file \(path)"))
            guard token != current else {
                emit(Event(.refresh(RefreshReport(ok: false, expiresAt: nil, rotated: false,
                                                  skipped: "--token-file \(path) still holds the same token"))))
                return token
            }
            current = token
            // Registered before any event can mention it.
            redactor.register(token: token)
            emit(Event(.refresh(RefreshReport(ok: true, expiresAt: JWT.decode(token.reveal())?.expiresAt, rotated: false))))
            return token
        }
    }

    /// The app's HTTP step (Pusher's channel authorization): its request carries
    /// what any request to that host carries — the token as `Authorization:
    /// Bearer` and `--session-header` only to the WebSocket's own host, `-H`, `-b`
    /// and the stored cookies as `RequestCredentials` lets them through.
    private func appRequest(_ request: AppHTTPRequest, token: Secret?) -> AppHTTPAnswer {
        var http = HTTPRequest(method: request.method, url: request.url, headers: request.headers, body: request.body)
        let sameHost = CredentialScope.normalized(URLParts(request.url).host) == CredentialScope.normalized(url.host)
        if sameHost, let token { http.headers.append(HTTPHeader(name: "Authorization", value: "Bearer \(token.reveal())")) }
        if sameHost, let sessionHeader, let session = sessionCookie() {
            http.headers.append(HTTPHeader(name: sessionHeader, value: session.value))
        }
        http = requestCredentials.attach(to: http)
        do throws(Failure) {
            let response = try HTTPClient(options: transport).perform(http)
            return AppHTTPAnswer(tag: request.tag, .response(status: response.status, headers: response.headers, body: response.body))
        } catch {
            return AppHTTPAnswer(tag: request.tag, .failed(error.message))
        }
    }

    func driver(script: SessionScript) -> SessionDriver {
        let driver = SessionDriver(
            plan: { token in plan(token: token) }, token: token, transport: transport,
            script: script, output: output, redactor: output.redactor)
        driver.tokenPlacement = app?.tokenInPayload == true ? .message : presentation.placement
        driver.app = app?.factory(ackTimeout: script.timeout?.seconds)
        if app != nil { driver.appRequests = { [unowned driver] request in appRequest(request, token: driver.token) } }
        // Events of a refresh go where the driver's go: the REPL swaps its output.
        let emit: (Event) -> Void = { [unowned driver] in driver.output.emit($0) }
        if stored?.hasRefreshToken == true, let settings = refreshSettings {
            let store = context.store, transport = transport
            driver.refresher = { () throws(Failure) in
                let token = try refreshStoredCredentials(store: store, settings: settings, transport: transport, emit: emit).accessToken
                if let token { try HeaderSafety.check(token.reveal(), source: .server("the refreshed access token")) }
                return token
            }
        } else if let refresher = tokenFileRefresher(emit: emit) {
            driver.refresher = refresher
        }
        return driver
    }
}
