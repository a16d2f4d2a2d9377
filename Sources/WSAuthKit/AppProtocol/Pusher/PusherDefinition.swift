extension AppProtocolDefinition {
    /// `--app pusher` (docs/protocols.md).
    public static let pusher = AppProtocolDefinition(
        name: "pusher",
        summary: "Pusher Channels protocol 7 (Pusher, Laravel Reverb, Soketi) at ws(s)://HOST/app/KEY; "
            + "private and presence channels authorized by a POST to --channel-auth-url "
            + "carrying that host's credentials",
        flags: ["--channel", "--channel-auth-url"],
        resolveURL: { text throws(Failure) in try PusherURL.resolve(text) },
        configure: { options throws(Failure) in
            let settings = try PusherSettings(channels: options.channels, authURL: options.channelAuthURL)
            return AppConfiguration(
                label: "pusher",
                doctorHint: "the credentials the app's channel authorization reads (`--channel-auth-url`): "
                    + "the bearer token, the session cookie (`wsauth login`) or `--session-header`",
                makeSession: { _, timeout in
                    PusherProtocol(settings, handshakeTimeout: timeout ?? PusherSettings.defaultHandshakeTimeout)
                }
            )
        },
        rendering: AppRendering(sent: { payload in
            guard case .text(let text) = payload, let value = try? JSONValue.parse(text),
                let event = value["event"]?.stringValue, !event.hasPrefix("pusher:")
            else { return nil }
            let channel = value["channel"]?.stringValue.map { "\($0) " } ?? ""
            return "\(channel)\(event) \(PusherMessage.text(of: value["data"]))"
        }),
        replCommands: [
            .subscribe("CHANNEL", help: "subscribe to a channel (private- and presence- ones authorized first)"),
            .complete("CHANNEL", help: "unsubscribe from it (pusher:unsubscribe)"),
        ],
        codeMeanings: [
            AppCodeMeaning(
                4009,
                name: "Connection is unauthorized",
                meaning: "pusher:error or close: a rejection (exit 2)"
            ),
            AppCodeMeaning(
                4000,
                through: 4099,
                name: "Do not reconnect (the app or the request is wrong)",
                meaning: "pusher:error or close: the session ends (exit 3), even with --reconnect"
            ),
            AppCodeMeaning(
                4100,
                through: 4199,
                name: "Reconnect after backing off (over capacity)",
                meaning: "pusher:error or close: the session ends (exit 6); with --reconnect, reconnect"
            ),
            AppCodeMeaning(
                4200,
                through: 4299,
                name: "Reconnect (the server is closing, or no pong)",
                meaning: "pusher:error or close: the session ends (exit 6); with --reconnect, reconnect"
            ),
        ],
        // The token's place is the channel authorization, part of the app's handshake, not the upgrade.
        tokenInPayload: true
    )
}
