import ArgumentParser
import WSAuthKit

/// `--app NAME`: a protocol of the registry (docs/protocols.md), listed in help
/// and completions from it.
struct AppChoice: ExpressibleByArgument {
    let definition: AppProtocolDefinition

    init?(argument: String) {
        guard let definition = AppRegistry.named(argument) else { return nil }
        self.definition = definition
    }

    static var allValueStrings: [String] { AppRegistry.names }
    static var defaultCompletionKind: CompletionKind { .list(AppRegistry.names) }

    /// `--app` help: one sentence per registered protocol, with its own flags.
    static var help: String {
        "Application protocol inside the socket. "
            + AppRegistry.all.map { definition in
                let flags = definition.flags.isEmpty ? "" : " (\(definition.flags.joined(separator: ", ")))"
                return "\(definition.name): \(definition.summary)\(flags)."
            }.joined(separator: " ")
    }

    /// `--auth-message` help: each protocol's default payload.
    static var authMessageDefaults: String {
        AppRegistry.all.compactMap { definition in definition.defaultAuthMessage.map { "for \(definition.name) \($0)" }
        }
        .joined(separator: "; ")
    }
}

/// The "Application protocol" group of `connect`, `probe`, `audit` and `doctor`:
/// `--app` and the flags its protocols read (each says which `--app` it is for).
struct AppFlags: ParsableArguments {
    @Option(help: ArgumentHelp(AppChoice.help, valueName: "NAME"))
    var app: AppChoice?

    @Option(help: ArgumentHelp("With --app socketio: the namespace to connect to (default /).", valueName: "NS"))
    var namespace: String?

    @Flag(
        help:
            "With --app socketio: emits ask for an acknowledgement, and the server's ACK is shown as a message with ack (never counted by --count)."
    )
    var ack = false

    @Option(
        name: .customLong("stomp-host"),
        help: ArgumentHelp(
            "With --app stomp: the host header of CONNECT, a virtual host (default the URL's host).",
            valueName: "HOST"
        )
    )
    var stompHost: String?

    @Option(
        name: .customLong("stomp-heart-beat"),
        help: ArgumentHelp(
            "With --app stomp: the heart-beat interval offered both ways (default 10s; 0 for none).",
            valueName: "DURATION"
        ),
        transform: TimeSpan.read
    )
    var stompHeartBeat: TimeSpan?

    @Option(
        help: ArgumentHelp(
            "With --app stomp: subscribe to this destination after CONNECTED; with --app mqtt: to this topic filter after CONNACK (repeatable).",
            valueName: "DEST"
        )
    )
    var subscribe: [String] = []

    @Option(
        help: ArgumentHelp(
            "With --app stomp: where lines and --send go, as SEND frames; with --app mqtt: the topic they are PUBLISHed to.",
            valueName: "DEST"
        )
    )
    var destination: String?

    @Option(
        name: .customLong("mqtt-version"),
        help: ArgumentHelp("With --app mqtt: 3.1.1 (default) or 5.", valueName: "VERSION")
    )
    var mqttVersion: String?

    @Option(
        name: .customLong("mqtt-client-id"),
        help: ArgumentHelp(
            "With --app mqtt: the client identifier of CONNECT (default wsauth- and random characters).",
            valueName: "ID"
        )
    )
    var mqttClientID: String?

    @Option(
        help: ArgumentHelp(
            "With --app mqtt: the keepalive of CONNECT; a PINGREQ goes out after that much quiet, and no PINGRESP within it is a drop (default 30s; 0 for none).",
            valueName: "DURATION"
        ),
        transform: TimeSpan.read
    )
    var keepalive: TimeSpan?

    @Option(
        help: ArgumentHelp(
            "With --app mqtt: the QoS of subscriptions and of what is published, 0 or 1 (default 0).",
            valueName: "QOS"
        )
    )
    var qos: Int?

    @Option(
        help: ArgumentHelp(
            "With --app actioncable: subscribe to this channel after welcome, a name or a JSON identifier like "
                + #"{"channel":"ChatChannel","room":"1"}; lines are performed on the first; "#
                + "with --app pusher: subscribe to this channel after connection_established, private- and presence- ones "
                + "authorized by --channel-auth-url (repeatable).",
            valueName: "CHANNEL"
        )
    )
    var channel: [String] = []

    @Option(
        name: .customLong("channel-auth-url"),
        help: ArgumentHelp(
            "With --app pusher: where private and presence channels are authorized (Laravel's /broadcasting/auth): "
                + "a POST of socket_id and channel_name with the credentials that belong to that host.",
            valueName: "URL"
        )
    )
    var channelAuthURL: String?

    /// The flags as the registry's definitions read them.
    func options(url: String) -> AppOptions {
        var options = AppOptions(url: url)
        options.namespace = namespace
        options.ack = ack
        options.stompHost = stompHost
        options.stompHeartBeat = stompHeartBeat?.milliseconds
        options.subscribe = subscribe
        options.destination = destination
        options.mqttVersion = mqttVersion
        options.mqttClientID = mqttClientID
        options.keepalive = keepalive?.seconds
        options.qos = qos
        options.channels = channel
        options.channelAuthURL = channelAuthURL
        return options
    }
}
