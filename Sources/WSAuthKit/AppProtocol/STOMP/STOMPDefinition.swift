extension AppProtocolDefinition {
    /// `--app stomp` (docs/protocols.md).
    public static let stomp = AppProtocolDefinition(
        name: "stomp",
        summary:
            "STOMP 1.2 of Spring, RabbitMQ Web-STOMP, ActiveMQ; the token as a CONNECT header, or --user with a password as login/passcode",
        defaultAuthMessage: STOMPSettings.defaultAuthTemplate,
        flags: ["--stomp-host", "--stomp-heart-beat", "--subscribe", "--destination"],
        configure: { options throws(Failure) in
            let settings = try STOMPSettings(options)
            return AppConfiguration(
                subprotocols: STOMPProtocol.offered,
                secrets: settings.login.map { [$0.passcode] } ?? [],
                label: "stomp",
                makeSession: { token, _ in STOMPProtocol(settings, token: token) }
            )
        },
        replCommands: [
            .subscribe("DESTINATION", help: "SUBSCRIBE to a destination"),
            .complete("ID", help: "UNSUBSCRIBE that subscription (sub-0 …)"),
        ]
    )
}

extension STOMPSettings {
    /// `--stomp-host` (default the URL's host), `--subscribe`, `--destination`,
    /// and `--user` with a password as login/passcode.
    init(_ options: AppOptions) throws(Failure) {
        var login: (user: String, passcode: Secret)?
        if let user = options.user {
            guard let passcode = options.password else {
                throw Failure.usage(
                    "--user needs a password: --password-stdin, --password-env VAR or --password-file FILE"
                )
            }
            login = (user, passcode)
        } else if options.password != nil {
            throw Failure.usage("a password needs --user NAME (STOMP login)")
        }
        var host = options.stompHost
        if host == nil { host = try WebSocketURL.parse(options.url).host }
        try self.init(
            host: host ?? "",
            authTemplate: options.authTemplate,
            login: login,
            subscriptions: options.subscribe,
            destination: options.destination,
            heartBeat: options.stompHeartBeat ?? 10_000
        )
    }
}
