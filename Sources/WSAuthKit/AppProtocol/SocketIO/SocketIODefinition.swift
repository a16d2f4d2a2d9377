extension AppProtocolDefinition {
    /// `--app socketio` (docs/protocols.md).
    public static let socketIO = AppProtocolDefinition(
        name: "socketio",
        summary: "Socket.IO v4; the token goes in its CONNECT auth payload unless --token-in header or cookie",
        defaultAuthMessage: SocketIOSettings.defaultAuthTemplate,
        flags: ["--namespace", "--ack"],
        resolveURL: { text throws(Failure) in try SocketIOURL.resolve(text) },
        configure: { options throws(Failure) in
            let settings = try SocketIOSettings(
                namespace: options.namespace ?? "/",
                authTemplate: options.authTemplate,
                ack: options.ack
            )
            return AppConfiguration(
                label: "socketio \(settings.namespace)",
                doctorHint:
                    "\(AppConfiguration.payloadHint) and the namespace (`--namespace`, now \(settings.namespace))",
                makeSession: { token, _ in SocketIOProtocol(settings, token: token) }
            )
        },
        rendering: AppRendering(
            received: { message, _ in SocketIOCommand.shown(message) },
            sent: { payload in
                guard case .text(let text) = payload else { return nil }
                return SocketIOCommand.sentEvent(text)
            }
        ),
        replCommands: [
            AppReplCommand(
                name: "/emit",
                usage: "/emit EVENT [JSON…]",
                help: #"emit an event (JSON arguments, or one string), e.g. /emit chat {"text":"hi"}"#
            ) { argument in
                SocketIOCommand.emitLine(argument).map(AppReplInput.line)
            }
        ]
    )
}
