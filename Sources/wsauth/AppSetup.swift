import WSAuthKit

/// `--app` (profile key `app`): the application protocol spoken inside the
/// socket, its settings, and where the token goes — in the app's auth payload
/// by default, in the handshake when `--token-in` says header, query, protocol
/// or cookie (Socket.IO's `extraHeaders`/`query`).
struct AppSetup {
    /// Each protocol's own settings.
    enum Settings {
        case socketIO(SocketIOSettings)
        /// graphql-ws and graphql-ws-legacy: the `connection_init` payload template.
        case graphQL(authTemplate: String?)
        case stomp(STOMPSettings)
    }

    let name: AppProtocolName
    let settings: Settings
    /// The token rides in the app-level handshake (CONNECT), not the upgrade.
    var tokenInPayload: Bool

    /// Nil when no `--app` is given.
    init?(credentials: CredentialFlags, url urlText: String) throws(Failure) {
        guard let name = credentials.app else { return nil }
        self.name = name
        let template = credentials.authMessage
        switch name {
        case .socketio:
            settings = .socketIO(try SocketIOSettings(namespace: credentials.namespace ?? "/", authTemplate: template))
        case .graphqlWS, .graphqlWSLegacy:
            try GraphQLWSProtocol.checkAuthTemplate(template)
            settings = .graphQL(authTemplate: template)
        case .stomp:
            settings = .stomp(try AppSetup.stompSettings(credentials, url: urlText))
        }
        tokenInPayload = credentials.tokenIn == nil || credentials.tokenIn == .message
    }

    /// Socket.IO's namespace; nil for the other apps.
    var namespace: String? {
        if case .socketIO(let settings) = settings { settings.namespace } else { nil }
    }

    /// Where the server listens: `https://host` → `wss://host/socket.io/?EIO=4&transport=websocket`.
    func url(_ text: String) throws(Failure) -> WebSocketURL {
        switch name {
        case .socketio: try SocketIOURL.resolve(text)
        case .graphqlWS: try WebSocketURL.parse(text)
        case .graphqlWSLegacy: try WebSocketURL.parse(text)
        case .stomp: try WebSocketURL.parse(text)
        }
    }

    /// Offered before the user's `--subprotocol` values (`graphql-transport-ws`).
    var subprotocols: [String] {
        switch name {
        case .socketio: []
        case .graphqlWS: GraphQLWSProtocol(token: nil).subprotocols
        case .graphqlWSLegacy: GraphQLWSLegacyProtocol(token: nil).subprotocols
        case .stomp: ["v12.stomp", "v11.stomp", "v10.stomp"]
        }
    }

    /// One protocol value per connection, with the token then in use. `ackTimeout`
    /// (`--timeout`) bounds graphql's wait for `connection_ack`.
    func factory(ackTimeout: Double? = nil) -> ApplicationProtocolFactory {
        let inPayload = tokenInPayload
        let ackWait = ackTimeout ?? GraphQLWSProtocol.defaultHandshakeTimeout
        switch (name, settings) {
        case (_, .socketIO(let settings)):
            return { token in SocketIOProtocol(settings, token: inPayload ? token : nil) }
        case (.graphqlWSLegacy, .graphQL(let template)):
            return { token in GraphQLWSLegacyProtocol(authTemplate: template, token: inPayload ? token : nil, handshakeTimeout: ackWait) }
        case (_, .graphQL(let template)):
            return { token in GraphQLWSProtocol(authTemplate: template, token: inPayload ? token : nil, handshakeTimeout: ackWait) }
        case (_, .stomp(let settings)):
            return { token in STOMPProtocol(settings, token: inPayload ? token : nil) }
        }
    }

    /// Secrets the app reads itself (the STOMP passcode), for the redactor.
    var secrets: [Secret] {
        guard case .stomp(let settings) = settings, let login = settings.login else { return [] }
        return [login.passcode]
    }

    /// `--stomp-host` (default the URL's host), `--subscribe`, `--destination`,
    /// and `--user` with a password: login/passcode from the flags only, so that a
    /// profile's `user` for `login` never becomes a STOMP login by surprise
    /// (`SessionSetup.flagOnlyKeys`).
    private static func stompSettings(_ credentials: CredentialFlags, url: String) throws(Failure) -> STOMPSettings {
        var login: (user: String, passcode: Secret)?
        if credentials.password.stdin, credentials.token.sources.stdin {
            throw Failure.usage("--password-stdin and --token-stdin cannot both read stdin")
        }
        if let user = credentials.user {
            guard let passcode = try credentials.password.read() else {
                throw Failure.usage("--user needs a password: --password-stdin, --password-env VAR or --password-file FILE")
            }
            login = (user, passcode)
        } else if credentials.password.isGiven {
            throw Failure.usage("a password needs --user NAME (STOMP login)")
        }
        var host = credentials.stompHost
        if host == nil { host = try WebSocketURL.parse(url).host }
        return try STOMPSettings(
            host: host ?? "", authTemplate: credentials.authMessage,
            login: login, subscriptions: credentials.subscribe, destination: credentials.destination,
            heartBeat: credentials.stompHeartBeat?.milliseconds ?? 10_000)
    }
}
