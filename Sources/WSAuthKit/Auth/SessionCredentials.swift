/// Where `connect` and `probe` get their credentials when no token is given on the command
/// line, and how they refresh them (docs/reference/behaviour.md `connect`): values and
/// functions over the store, with no flags and no output, so that the rules are unit-tested
/// here and `SessionSetup` (Sources/wsauth) only turns flags into their inputs.
public enum SessionCredentials {
    /// What the store gives a WebSocket URL.
    public enum Lookup: Sendable {
        /// Nothing is stored, or the store's credentials, refreshed first when they expire
        /// within the margin.
        case stored(StoredCredentials?)
        /// Credentials are stored but not for this host (`CredentialScope`): none of them go,
        /// and no refresh is made for it. The message says which `hosts` key would allow it.
        case outOfScope(message: String)
    }

    /// The stored credentials for `url`, only for a host they belong to; `remembered` is the
    /// store as it is now (`CredentialStore.peek`), `settings` how `wsauth refresh` would refresh.
    public static func lookup(
        for url: WebSocketURL,
        remembered: Credentials?,
        context: ProfileContext,
        settings: RefreshSettings,
        transport: TransportOptions,
        refreshMargin: TimeSpan,
        emit: (Event) -> Void
    ) throws(Failure) -> Lookup {
        if let remembered {
            let scope = CredentialScope(credentials: remembered, settings: context.settings)
            guard scope.allows(url.host) else {
                let message = scope.refusal(
                    host: url.host,
                    profile: context.profile.name,
                    configFile: context.paths.configFile
                )
                return .outOfScope(message: message)
            }
        }
        let stored = try resolveStoredCredentials(
            store: context.store,
            settings: settings,
            transport: transport,
            refreshMargin: refreshMargin,
            emit: emit
        )
        return .stored(stored)
    }

    /// Refreshing a stored token: through the store, once across processes, and the new
    /// token checked before it can reach a header.
    public static func storedRefresher(
        store: CredentialStore,
        settings: RefreshSettings,
        transport: TransportOptions,
        emit: @escaping (Event) -> Void
    ) -> TokenRefresher {
        { () throws(Failure) -> Secret? in
            let token = try refreshStoredCredentials(
                store: store,
                settings: settings,
                transport: transport,
                emit: emit
            ).accessToken
            if let token { try HeaderSafety.check(token.reveal(), source: .server("the refreshed access token")) }
            return token
        }
    }

    /// `--token-file`: refreshing reads the file again, so whatever keeps it current (a
    /// sidecar, a projected service-account token, `wsauth token > FILE`) is the refresh;
    /// `/refresh` in the REPL picks up a token written meanwhile. `register` gives a new
    /// token to the redactor before any event can mention it.
    public static func tokenFileRefresher(
        path: String,
        current: Secret?,
        register: @escaping (Secret) -> Void,
        emit: @escaping (Event) -> Void
    ) -> TokenRefresher {
        var current = current
        return { () throws(Failure) -> Secret? in
            guard let token = try? SecretSource.file(path).read(flag: "--token") else {
                throw Failure(.auth, "--token-file \(path): the file is gone or empty; no token to refresh with")
            }
            try HeaderSafety.check(token.reveal(), source: .user("the token in --token-file \(path)"))
            guard token != current else {
                let skipped = "--token-file \(path) still holds the same token"
                emit(Event(.refresh(RefreshReport(ok: false, expiresAt: nil, rotated: false, skipped: skipped))))
                return token
            }
            current = token
            register(token)
            let expiresAt = JWT.decode(token.reveal())?.expiresAt
            emit(Event(.refresh(RefreshReport(ok: true, expiresAt: expiresAt, rotated: false))))
            return token
        }
    }
}

extension HandshakeCredentials {
    /// The app's HTTP step (Pusher's channel authorization) as it goes out: it carries what
    /// any request to that host carries — the token as `Authorization: Bearer` and
    /// `--session-header` only to the WebSocket's own host (and then no Cookie header, as at
    /// the upgrade), `-H`, `-b` and the stored cookies as `RequestCredentials` lets them.
    public func appRequest(_ request: AppHTTPRequest, token: Secret?) -> HTTPRequest {
        var http = HTTPRequest(method: request.method, url: request.url, headers: request.headers, body: request.body)
        let sameHost = CredentialScope.normalized(URLParts(request.url).host) == CredentialScope.normalized(url.host)
        if sameHost, let token {
            http.headers.append(HTTPHeader(name: "Authorization", value: "Bearer \(token.reveal())"))
        }
        if sameHost, let sessionHeader, let session = sessionCookie() {
            http.headers.append(HTTPHeader(name: sessionHeader, value: session.value))
            http.headers += requestCredentials.headers(for: RequestTarget(url: request.url))
        } else {
            http = requestCredentials.attach(to: http)
        }
        return http
    }
}
