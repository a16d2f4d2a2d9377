/// The flags of the "Application protocol" group (and `--user` with its
/// password), as parsed and read once: what a definition's `configure` reads.
/// A flag of another protocol than `--app`'s is ignored, as it always was
/// (a profile may keep one for another run).
public struct AppOptions: Sendable {
    /// The URL as given (STOMP's default `host`).
    public var url: String
    /// `--auth-message`.
    public var authTemplate: String?
    /// `--user` and the password read from `--password-env|-file|-stdin`.
    public var user: String?
    public var password: Secret?
    /// `--namespace` (socketio).
    public var namespace: String?
    /// `--ack` (socketio).
    public var ack = false
    /// `--stomp-host`, `--stomp-heart-beat` in milliseconds (stomp).
    public var stompHost: String?
    public var stompHeartBeat: Int?
    /// `--subscribe` (repeatable) and `--destination`.
    public var subscribe: [String] = []
    public var destination: String?
    /// `--qos`, `--keepalive` in seconds, `--mqtt-client-id`, `--mqtt-version` (mqtt).
    public var qos: Int?
    public var keepalive: Double?
    public var mqttClientID: String?
    public var mqttVersion: String?
    /// `--channel` (repeatable; actioncable, pusher).
    public var channels: [String] = []
    /// `--channel-auth-url` (pusher).
    public var channelAuthURL: String?

    public init(url: String) {
        self.url = url
    }
}
