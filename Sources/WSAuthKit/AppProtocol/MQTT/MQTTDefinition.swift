extension AppProtocolDefinition {
    /// `--app mqtt` (docs/protocols.md).
    public static let mqtt = AppProtocolDefinition(
        name: "mqtt",
        summary:
            "MQTT 3.1.1 or 5.0 of Mosquitto, EMQX, HiveMQ, AWS IoT; the token as the CONNECT password, or --user with a password",
        defaultAuthMessage: MQTTSettings.defaultAuthTemplate,
        flags: ["--mqtt-version", "--mqtt-client-id", "--keepalive", "--qos", "--subscribe", "--destination"],
        configure: { options throws(Failure) in
            let version: MQTTVersion
            switch options.mqttVersion {
            case nil, "3.1.1"?: version = .v311
            case "5"?, "5.0"?: version = .v5
            case let other?: throw Failure.usage("--mqtt-version \(other): use 3.1.1 or 5")
            }
            let settings = try MQTTSettings(
                version: version,
                clientID: options.mqttClientID,
                keepAlive: options.keepalive ?? 30,
                qos: options.qos ?? 0,
                subscriptions: options.subscribe,
                destination: options.destination,
                user: options.user,
                password: options.password,
                authTemplate: options.authTemplate
            )
            return AppConfiguration(
                subprotocols: ["mqtt"],
                secrets: settings.password.map { [$0] } ?? [],
                label: "mqtt \(version.rawValue)",
                doctorHint:
                    "the CONNECT credentials the broker expects (`--user NAME`, `--auth-message username:{token}` or `password:{token}`), and `--mqtt-version` (now \(version.rawValue))",
                rendering: .mqtt(version),
                makeSession: { token, timeout in
                    MQTTProtocol(
                        settings,
                        token: token,
                        handshakeTimeout: timeout ?? MQTTSettings.defaultHandshakeTimeout
                    )
                }
            )
        },
        replCommands: [
            .subscribe("TOPIC", help: "SUBSCRIBE to a topic filter (at --qos)"),
            .complete("TOPIC", help: "UNSUBSCRIBE from it"),
        ],
        codeMeanings: [
            AppCodeMeaning(
                0x86,
                .reason,
                name: "Bad User Name or Password",
                meaning: "CONNACK: a rejection (exit 2); with --reconnect, refresh and retry"
            ),
            AppCodeMeaning(
                0x87,
                .reason,
                name: "Not authorized",
                meaning: "CONNACK: a rejection (exit 2); DISCONNECT: exit 2; with --reconnect, refresh and reconnect"
            ),
            AppCodeMeaning(0x8A, .reason, name: "Banned", meaning: "CONNACK: a rejection (exit 2)"),
            AppCodeMeaning(
                0x8C,
                .reason,
                name: "Bad authentication method",
                meaning: "CONNACK: a rejection (exit 2); DISCONNECT: exit 2; with --reconnect, refresh and reconnect"
            ),
            AppCodeMeaning(
                0xA0,
                .reason,
                name: "Maximum connect time",
                meaning: "DISCONNECT: the session ends (exit 6); with --reconnect, refresh and reconnect"
            ),
            AppCodeMeaning(
                4,
                .reason,
                name: "Connection Refused, bad user name or password (3.1.1)",
                meaning: "CONNACK: a rejection (exit 2)"
            ),
            AppCodeMeaning(
                5,
                .reason,
                name: "Connection Refused, not authorized (3.1.1)",
                meaning: "CONNACK: a rejection (exit 2)"
            ),
        ]
    )
}

extension AppRendering {
    /// `chat/room hello`: a PUBLISH, received or sent, as its topic and payload;
    /// CONNECT, SUBSCRIBE and pings only with `/raw`.
    static func mqtt(_ version: MQTTVersion) -> AppRendering {
        AppRendering(sent: { payload in
            guard case .binary(let bytes) = payload, bytes.first.map({ $0 >> 4 == 3 }) == true else { return nil }
            var parser = MQTTParser(version: version)
            guard case .publish(let topic, _, _, _, let body)? = try? parser.feed(bytes).first else { return nil }
            return "\(topic) \(String(decoding: body, as: UTF8.self))"
        })
    }
}
