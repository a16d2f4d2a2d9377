import ArgumentParser
import WSAuthKit

/// What `connect` and `probe` share: the flags and the profile turned into the inputs of
/// WSAuthKit's `HandshakeCredentials` and `SessionCredentials` (where the rules are
/// unit-tested), and the token and its refresh assembled into a `SessionDriver`.
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
    /// What the handshake carries and how.
    let handshake: HandshakeCredentials
    let output: Output
    let context: ProfileContext
    /// `--app`: nil for raw WebSocket messages.
    let app: AppSetup?
    private(set) var token: Secret?
    /// Set when the token came from the store: the driver can refresh it.
    private(set) var stored: StoredCredentials?
    /// How the stored token is refreshed: what `wsauth refresh` would do.
    private var refreshSettings: RefreshSettings?

    init(
        url text: String?,
        profile flag: String?,
        credentials: CredentialFlags,
        app appFlags: AppFlags,
        transport flags: TransportFlags,
        output: Output
    ) throws(Failure) {
        let name = try ProfileName.select(flag: flag)
        context = try ProfileContext(name)
        let remembered = try context.store.peek()
        // docs/reference/behaviour.md `login --ws-url`: remembered with the credentials.
        guard let urlText = text ?? context.settings.webSocketURL ?? remembered?.webSocketURL else {
            throw Failure.usage(
                "no URL: pass ws://… or wss://…, set ws_url in profile \(name), or log in with --ws-url"
            )
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
        self.credentials = credentials
        self.output = output

        token = try credentials.explicitToken()
        if token == nil {
            (stored, refreshSettings) = try Self.loadStored(
                remembered,
                url: url,
                context: context,
                transport: transport,
                refreshBefore: credentials.refreshBefore,
                output: output
            )
            token = stored?.accessToken
        }
        handshake = HandshakeCredentials(
            url: url,
            transport: transport,
            presentation: presentation,
            sessionHeader: credentials.sessionHeader,
            sessionCookieName: credentials.sessionCookie,
            origin: credentials.origin,
            appSubprotocols: app?.subprotocols ?? [],
            subprotocols: credentials.subprotocol,
            compress: credentials.compress,
            tokenInPayload: app?.tokenInPayload == true,
            storedCookies: stored?.cookies ?? [],
            loginCookieNames: stored?.loginCookieNames ?? []
        )
        if handshake.sessionHeader != nil, sessionCookie() == nil {
            throw Failure(
                .auth,
                "no session ID for --session-header: no stored cookie matches \(url.host) and -b gives none; run 'wsauth login' or pass -b NAME=VALUE"
            )
        }
        if let token { output.redactor.register(token: token) }
        for cookie in knownCookies { output.redactor.register(Secret(cookie.value)) }
        try handshake.checkHeaderValues(
            token: token,
            source: stored == nil ? .user("the token given") : .server("the stored access token")
        )
        if token != nil || handshake.sessionHeader != nil || !plan(token: nil).cookies.isEmpty,
            let warning = CleartextWarning.message(url: url.description, secure: url.secure, host: url.host)
        {
            output.say(warning, to: .stderr)
        }
    }

    /// The stored credentials, refreshed first when they expire within
    /// `--refresh-before`, but only for a host they belong to (`SessionCredentials.lookup`):
    /// any other host gets none of them and a line that says which `hosts` key would allow it.
    private static func loadStored(
        _ remembered: Credentials?,
        url: WebSocketURL,
        context: ProfileContext,
        transport: TransportOptions,
        refreshBefore: TimeSpan?,
        output: Output
    ) throws(Failure) -> (StoredCredentials?, RefreshSettings?) {
        let settings = try RefreshOptions.settings(of: context)
        let lookup = try SessionCredentials.lookup(
            for: url,
            remembered: remembered,
            context: context,
            settings: settings,
            transport: transport,
            refreshMargin: refreshBefore ?? TimeSpan(seconds: 30),
            emit: { output.emit($0) }
        )
        switch lookup {
        case .stored(let stored):
            return (stored, settings)
        case .outOfScope(let message):
            output.say(message, to: .stderr)
            return (nil, nil)
        }
    }

    /// Refuses (64) an explicit URL outside the stored credentials' hosts when
    /// they are in use (`audit --logout-url`), before any request is made.
    func requireStoredAllowed(_ url: String, for what: String) throws(Failure) {
        guard stored != nil, let current = try context.store.peek() else { return }
        try context.binding.scope(of: current).require(
            url,
            for: what,
            profile: context.profile.name,
            configFile: context.paths.configFile
        )
    }

    var requestCredentials: RequestCredentials { handshake.requestCredentials }
    var knownCookies: [NetscapeCookie] { handshake.knownCookies }
    func sessionCookie() -> NetscapeCookie? { handshake.sessionCookie() }
    func plan(token: Secret?) -> HandshakePlan { handshake.plan(token: token) }

    /// The app's HTTP step with the credentials of its host (`HandshakeCredentials.appRequest`).
    func appRequest(_ request: AppHTTPRequest, token: Secret?) -> AppHTTPAnswer {
        do throws(Failure) {
            let response = try HTTPClient(options: transport).perform(handshake.appRequest(request, token: token))
            return AppHTTPAnswer(
                tag: request.tag,
                .response(status: response.status, headers: response.headers, body: response.body)
            )
        } catch {
            return AppHTTPAnswer(tag: request.tag, .failed(error.message))
        }
    }

    func driver(script: SessionScript) -> SessionDriver {
        let driver = SessionDriver(
            plan: { token in plan(token: token) },
            token: token,
            transport: transport,
            script: script,
            output: output,
            redactor: output.redactor
        )
        driver.tokenPlacement = app?.tokenInPayload == true ? .message : presentation.placement
        driver.app = app?.factory(ackTimeout: script.timeout?.seconds)
        if app != nil { driver.appRequests = { [unowned driver] request in appRequest(request, token: driver.token) } }
        // Events of a refresh go where the driver's go: the REPL swaps its output.
        let emit: (Event) -> Void = { [unowned driver] in driver.output.emit($0) }
        if stored?.hasRefreshToken == true, let settings = refreshSettings {
            driver.refresher = SessionCredentials.storedRefresher(
                store: context.store,
                settings: settings,
                transport: transport,
                emit: emit
            )
        } else if let path = credentials.token.sources.file {
            let redactor = output.redactor
            driver.refresher = SessionCredentials.tokenFileRefresher(
                path: path,
                current: token,
                register: { redactor.register(token: $0) },
                emit: emit
            )
        }
        return driver
    }
}
