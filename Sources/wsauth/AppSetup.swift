import WSAuthKit

/// `--app` (profile key `app`): the registered protocol spoken inside the
/// socket, configured by its flags, and where the token goes — in the app's
/// auth payload by default, in the handshake when `--token-in` says header,
/// query, protocol or cookie (Socket.IO's `extraHeaders`/`query`).
struct AppSetup {
    let definition: AppProtocolDefinition
    let configuration: AppConfiguration
    /// The token rides in the app-level handshake (CONNECT), not the upgrade.
    var tokenInPayload: Bool

    /// Nil when no `--app` is given. `--user` and its password are read from the
    /// flags only, so that a profile's `user` for `login` never becomes an app
    /// login by surprise (`SessionSetup.flagOnlyKeys`).
    init?(_ flags: AppFlags, credentials: CredentialFlags, url: String) throws(Failure) {
        guard let definition = flags.app?.definition else { return nil }
        if credentials.password.stdin, credentials.token.sources.stdin {
            throw Failure.usage("--password-stdin and --token-stdin cannot both read stdin")
        }
        if credentials.password.isGiven, credentials.user == nil {
            throw Failure.usage("a password needs --user NAME (\(definition.name) login)")
        }
        var options = flags.options(url: url)
        options.authTemplate = credentials.authMessage
        options.user = credentials.user
        if credentials.user != nil { options.password = try credentials.password.read() }
        self.definition = definition
        configuration = try definition.configure(options)
        tokenInPayload = definition.tokenInPayload && (credentials.tokenIn == nil || credentials.tokenIn == .message)
    }

    var name: String { definition.name }

    /// How its messages read in the REPL.
    var rendering: AppRendering { configuration.rendering ?? definition.rendering }

    /// Where the server listens: `https://host` → `wss://host/socket.io/?EIO=4&transport=websocket`.
    func url(_ text: String) throws(Failure) -> WebSocketURL { try definition.resolveURL(text) }

    /// Offered before the user's `--subprotocol` values (`graphql-transport-ws`).
    var subprotocols: [String] { configuration.subprotocols }

    /// Secrets the app reads itself (the STOMP passcode), for the redactor.
    var secrets: [Secret] { configuration.secrets }

    /// One protocol value per connection, with the token then in use. `ackTimeout`
    /// (`--timeout`) bounds the wait for the app handshake where the protocol allows.
    func factory(ackTimeout: Double? = nil) -> AppSessionFactory {
        let inPayload = tokenInPayload
        let make = configuration.makeSession
        return { token in make(inPayload ? token : nil, ackTimeout) }
    }
}
