extension AppProtocolDefinition {
    /// `--app actioncable` (docs/protocols.md).
    public static let actionCable = AppProtocolDefinition(
        name: "actioncable",
        summary:
            "Rails Action Cable (and AnyCable); the credentials ride in the upgrade as for a plain socket (session cookies, --token-in), channels subscribed with --channel",
        flags: ["--channel"],
        configure: { options throws(Failure) in
            var parsed: [ActionCableChannel] = []
            for argument in options.channels { parsed.append(try ActionCableChannel(argument)) }
            let channels = parsed
            return AppConfiguration(
                subprotocols: ActionCableProtocol.offered,
                label: "actioncable",
                doctorHint:
                    "the credentials `ApplicationCable::Connection#connect` reads: the session cookie (`wsauth login`) or `--token-in`",
                makeSession: { _, timeout in
                    ActionCableProtocol(
                        channels: channels,
                        handshakeTimeout: timeout ?? ActionCableProtocol.defaultHandshakeTimeout
                    )
                }
            )
        },
        rendering: AppRendering(sent: { payload in
            guard case .text(let text) = payload, let value = try? JSONValue.parse(text),
                value["command"]?.stringValue == "message",
                let identifier = value["identifier"]?.stringValue, let data = value["data"]?.stringValue
            else { return nil }
            return "\(ActionCableChannel.name(of: identifier)) \(data)"
        }),
        replCommands: [
            .subscribe("CHANNEL", help: "subscribe to a channel (a name or a JSON identifier)"),
            .complete("CHANNEL", help: "unsubscribe from it"),
        ],
        tokenInPayload: false
    )
}
