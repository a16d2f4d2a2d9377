/// The flags of `--app mqtt`, checked once before any connection (docs/protocols.md).
public struct MQTTSettings: Sendable {
    /// EMQX, RabbitMQ and AWS IoT custom authorizers take a JWT as the password.
    public static let defaultAuthTemplate = "password:{token}"
    /// How long CONNACK (and the SUBACKs of `--subscribe`) may take without `--timeout`.
    public static let defaultHandshakeTimeout = 10.0

    /// Where `--auth-message` puts the filled template.
    public enum TokenField: String, Sendable { case username, password }

    public let version: MQTTVersion
    /// `--mqtt-client-id`, default `wsauth-` and random characters (the same across reconnects).
    public let clientID: String
    /// `--keepalive` in whole seconds (§3.1.2.10); 0 turns keepalives off.
    public let keepAlive: UInt16
    /// `--qos`: of subscriptions and of what is published.
    public let qos: UInt8
    public let subscriptions: [String]
    public let destination: String?
    /// `--user`, and with a password from `--password-env|-file|-stdin` instead of the token.
    public let user: String?
    public let password: Secret?
    public let tokenField: TokenField
    /// `--auth-message`'s value part, `{token}` replaced.
    public let tokenTemplate: String

    public init(
        version: MQTTVersion = .v311,
        clientID: String? = nil,
        keepAlive: Double = 30,
        qos: Int = 0,
        subscriptions: [String] = [],
        destination: String? = nil,
        user: String? = nil,
        password: Secret? = nil,
        authTemplate: String? = nil
    ) throws(Failure) {
        let template = authTemplate ?? MQTTSettings.defaultAuthTemplate
        guard let colon = template.firstIndex(of: ":"), let field = TokenField(rawValue: String(template[..<colon]))
        else {
            throw Failure.usage(
                "--auth-message for MQTT is username:TEMPLATE or password:TEMPLATE, like \(MQTTSettings.defaultAuthTemplate)"
            )
        }
        guard qos == 0 || qos == 1 else { throw Failure.usage("--qos \(qos): wsauth speaks QoS 0 and 1") }
        guard keepAlive >= 0, keepAlive <= Double(UInt16.max) else {
            throw Failure.usage("--keepalive: MQTT carries at most 65535 seconds (§3.1.2.10)")
        }
        let id = clientID ?? "wsauth-" + String((0..<10).map { _ in MQTTSettings.idCharacters.randomElement()! })
        // §1.5.3: strings are UTF-8 without U+0000, at most 65535 bytes.
        for (flag, value) in [("--mqtt-client-id", id), ("--user", user ?? ""), ("--destination", destination ?? "")]
            + subscriptions.map({ ("--subscribe", $0) }) where value.contains("\0") || value.utf8.count > 65535
        {
            throw Failure.usage("\(flag): an MQTT string holds no NUL and at most 65535 bytes")
        }
        if subscriptions.contains("") { throw Failure.usage("--subscribe: an empty topic filter (MQTT §4.7.3)") }
        if let destination, destination.isEmpty || destination.contains(where: { $0 == "+" || $0 == "#" }) {
            throw Failure.usage("--destination \(destination): a topic name without wildcards (MQTT §4.7.1)")
        }
        self.version = version
        self.clientID = id
        self.keepAlive = UInt16(keepAlive.rounded(.up))
        self.qos = UInt8(qos)
        self.subscriptions = subscriptions
        self.destination = destination
        self.user = user
        self.password = password
        tokenField = field
        tokenTemplate = String(template[template.index(after: colon)...])
    }

    static let idCharacters = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    /// User name and password of CONNECT: `--user` with a password; else the
    /// token where `--auth-message` puts it, with the user name from `--user`,
    /// the token's `sub` or `wsauth` (3.1.1 §3.1.2.9: no password without a user
    /// name); else `--user` alone, or nothing.
    func credentials(token: Secret?) -> (user: String?, password: String?) {
        if let password { return (user, password.reveal()) }
        guard let token else { return (user, nil) }
        let filled = TokenPresentation.fill(tokenTemplate, token: token)
        switch tokenField {
        case .username: return (filled, nil)
        case .password: return (user ?? JWT.decode(token.reveal())?.claims["sub"]?.stringValue ?? "wsauth", filled)
        }
    }
}
