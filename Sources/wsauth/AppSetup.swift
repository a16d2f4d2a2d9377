import WSAuthKit

/// `--app` (profile key `app`): the application protocol spoken inside the
/// socket, its settings, and where the token goes — in the app's auth payload
/// by default, in the handshake when `--token-in` says header, query, protocol
/// or cookie (Socket.IO's `extraHeaders`/`query`).
struct AppSetup {
    let name: AppProtocolName
    let socketIO: SocketIOSettings
    /// The token rides in the app-level handshake (CONNECT), not the upgrade.
    var tokenInPayload: Bool
    /// `--auth-message`, for the apps other than Socket.IO.
    let authTemplate: String?
    /// `--app stomp`'s settings; nil for the other apps.
    let stomp: STOMPSettings?

    /// Nil when no `--app` is given.
    init?(credentials: CredentialFlags, profile: Profile, url urlText: String) throws(Failure) {
        guard let text = try profile.string("app", flag: credentials.app?.rawValue) else { return nil }
        guard let name = AppProtocolName(rawValue: text) else {
            let known = AppProtocolName.allCases.map(\.rawValue).joined(separator: ", ")
            throw Failure.usage("\(profile.file ?? "config.toml"): app must be one of \(known)")
        }
        self.name = name
        authTemplate = try profile.string("auth_message", flag: credentials.authMessage)
        if name == .graphqlWS || name == .graphqlWSLegacy { try GraphQLWSProtocol.checkAuthTemplate(authTemplate) }
        socketIO = try SocketIOSettings(
            namespace: try profile.string("namespace", flag: credentials.namespace) ?? "/",
            authTemplate: try profile.string("auth_message", flag: credentials.authMessage))
        stomp = name == .stomp ? try AppSetup.stompSettings(credentials, profile: profile, url: urlText) : nil
        let placement = try profile.string("token_in", flag: credentials.tokenIn?.rawValue)
        tokenInPayload = placement == nil || placement == TokenPlacement.message.rawValue
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
        let settings = socketIO, inPayload = tokenInPayload, template = authTemplate
        let ackWait = ackTimeout ?? GraphQLWSProtocol.defaultHandshakeTimeout
        switch name {
        case .socketio:
            return { token in SocketIOProtocol(settings, token: inPayload ? token : nil) }
        case .graphqlWS:
            return { token in GraphQLWSProtocol(authTemplate: template, token: inPayload ? token : nil, handshakeTimeout: ackWait) }
        case .graphqlWSLegacy:
            return { token in GraphQLWSLegacyProtocol(authTemplate: template, token: inPayload ? token : nil, handshakeTimeout: ackWait) }
        case .stomp:
            guard let stomp else { preconditionFailure("init makes STOMP settings for --app stomp") }
            return { token in STOMPProtocol(stomp, token: inPayload ? token : nil) }
        }
    }

    /// Secrets the app reads itself (the STOMP passcode), for the redactor.
    var secrets: [Secret] { stomp?.login.map { [$0.passcode] } ?? [] }

    /// `--stomp-host` (default the URL's host), `--subscribe`, `--destination`,
    /// and `--user` with a password: login/passcode from the flags only, so that a
    /// profile's `user` for `login` never becomes a STOMP login by surprise.
    private static func stompSettings(_ credentials: CredentialFlags, profile: Profile, url: String) throws(Failure) -> STOMPSettings {
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
        var heartBeat = credentials.stompHeartBeat
        if heartBeat == nil { heartBeat = try profile.duration("stomp_heart_beat") }
        var host = try profile.string("stomp_host", flag: credentials.stompHost)
        if host == nil { host = try WebSocketURL.parse(url).host }
        var subscriptions = credentials.subscribe
        if subscriptions.isEmpty { subscriptions = try profile.strings("subscribe") ?? [] }
        return try STOMPSettings(
            host: host ?? "", authTemplate: try profile.string("auth_message", flag: credentials.authMessage),
            login: login, subscriptions: subscriptions,
            destination: try profile.string("destination", flag: credentials.destination),
            heartBeat: heartBeat?.milliseconds ?? 10_000)
    }
}
