/// The flags of `--app socketio`, checked once before any connection.
public struct SocketIOSettings: Sendable {
    public static let defaultAuthTemplate = #"{"token":"{token}"}"#

    /// `--namespace`, with its leading `/`.
    public let namespace: String
    /// `--auth-message`: `{token}` is replaced by the token, JSON-escaped.
    public let authTemplate: String
    /// How long the open packet and the answer to CONNECT may take (the
    /// client libraries' `timeout` option, 20 s by default).
    public let handshakeTimeout: Double
    /// `--ack`: emits ask for an acknowledgement, and the server's ACK is shown.
    public let ack: Bool

    public init(
        namespace: String = "/",
        authTemplate: String? = nil,
        ack: Bool = false,
        handshakeTimeout: Double = 20
    ) throws(Failure) {
        let ns = namespace.hasPrefix("/") ? namespace : "/" + namespace
        guard !ns.contains(","), ns.allSatisfy({ !$0.isWhitespace }) else {
            throw Failure.usage(
                "invalid --namespace '\(namespace)': a Socket.IO namespace is a path like /admin, without commas or spaces"
            )
        }
        let template = authTemplate ?? SocketIOSettings.defaultAuthTemplate
        // Checked with a stand-in token, so that this error can never show the real one.
        guard case .object? = try? JSONValue.parse(TokenPresentation.fillJSON(template, token: "token")) else {
            throw Failure.usage(
                "--auth-message for Socket.IO must be a JSON object, like \(SocketIOSettings.defaultAuthTemplate)"
            )
        }
        self.namespace = ns
        self.authTemplate = template
        self.handshakeTimeout = handshakeTimeout
        self.ack = ack
    }
}
