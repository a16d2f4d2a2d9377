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

    /// Nil when no `--app` is given.
    init?(credentials: CredentialFlags, profile: Profile) throws(Failure) {
        guard let text = try profile.string("app", flag: credentials.app?.rawValue) else { return nil }
        guard let name = AppProtocolName(rawValue: text) else {
            let known = AppProtocolName.allCases.map(\.rawValue).joined(separator: ", ")
            throw Failure.usage("\(profile.file ?? "config.toml"): app must be one of \(known)")
        }
        self.name = name
        authTemplate = try profile.string("auth_message", flag: credentials.authMessage)
        socketIO = try SocketIOSettings(
            namespace: try profile.string("namespace", flag: credentials.namespace) ?? "/",
            authTemplate: try profile.string("auth_message", flag: credentials.authMessage))
        let placement = try profile.string("token_in", flag: credentials.tokenIn?.rawValue)
        tokenInPayload = placement == nil || placement == TokenPlacement.message.rawValue
    }

    /// Where the server listens: `https://host` → `wss://host/socket.io/?EIO=4&transport=websocket`.
    func url(_ text: String) throws(Failure) -> WebSocketURL {
        switch name {
        case .socketio: try SocketIOURL.resolve(text)
        case .graphqlWS: try WebSocketURL.parse(text)
        }
    }

    /// Offered before the user's `--subprotocol` values (`graphql-transport-ws`).
    var subprotocols: [String] {
        switch name {
        case .socketio: []
        case .graphqlWS: GraphQLWSProtocol(token: nil).subprotocols
        }
    }

    /// One protocol value per connection, with the token then in use.
    func factory() -> ApplicationProtocolFactory {
        let settings = socketIO, inPayload = tokenInPayload, template = authTemplate
        switch name {
        case .socketio:
            return { token in SocketIOProtocol(settings, token: inPayload ? token : nil) }
        case .graphqlWS:
            return { token in GraphQLWSProtocol(authTemplate: template, token: inPayload ? token : nil) }
        }
    }
}
