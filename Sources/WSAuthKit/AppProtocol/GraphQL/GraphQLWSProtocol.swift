/// graphql-transport-ws (the `graphql-ws` library's protocol, subprotocol
/// `graphql-transport-ws`, PROTOCOL.md) as an `AppSession` (docs/protocols.md,
/// `graphql-ws`).
///
/// We speak first: `connection_init` with the auth payload; the server answers
/// `connection_ack`, or closes with 4401/4403 (auth) or 4408 (init too late).
/// `ping` is answered with `pong`; a line that is a JSON object goes out as is,
/// any other line is a GraphQL document sent as `subscribe` with a fresh id;
/// `next` payloads are delivered, `error` reported, `complete` ends the operation.
public struct GraphQLWSProtocol: AppSession {
    public static let defaultAuthTemplate = #"{"Authorization":"Bearer {token}"}"#
    /// How long `connection_ack` may take without `--timeout` (graphql-ws's own
    /// `connectionInitWaitTimeout` default is 3 s on the server; we allow more).
    public static let defaultHandshakeTimeout = 10.0

    public let name = "graphql-ws"
    public let subprotocols = ["graphql-transport-ws"]

    var session: GraphQLSession

    /// `authTemplate` is `--auth-message` (`{token}` replaced by the token,
    /// JSON-escaped); without a token a template needing one sends no payload.
    public init(authTemplate: String? = nil, token: Secret?, handshakeTimeout: Double = defaultHandshakeTimeout) {
        session = GraphQLSession(
            GraphQLSession.Dialect(
                label: "graphql-transport-ws",
                app: "graphql-ws",
                start: "subscribe",
                result: "next",
                stop: "complete"
            ),
            authTemplate: authTemplate,
            token: token,
            handshakeTimeout: handshakeTimeout
        )
    }

    /// `--auth-message` must fill to a JSON object: graphql-ws closes any other
    /// `connection_init` payload with 4400. Checked with a stand-in token, so that
    /// this error can never show the real one.
    public static func checkAuthTemplate(_ template: String?) throws(Failure) {
        guard let template else { return }
        guard case .object? = try? JSONValue.parse(TokenPresentation.fillJSON(template, token: "token")) else {
            throw Failure.usage("--auth-message for GraphQL must be a JSON object, like \(defaultAuthTemplate)")
        }
    }

    public var nextDeadline: Double? { session.nextDeadline }

    public mutating func start(now: Double) -> [AppAction] { session.start(now: now) }

    public mutating func timerFired(now: Double) -> [AppAction] { session.timerFired(now: now) }

    /// `ping` is answered with `pong` (PROTOCOL.md: "as soon as possible").
    public mutating func receive(_ message: MessagePayload, now: Double) -> [AppAction] {
        guard let message = GraphQLMessage(message) else {
            return [.violation("graphql-transport-ws: a message that is not a JSON object with a type")]
        }
        switch message.type {
        case "ping":
            return [
                .keepalive(AppKeepalive(.ping, .in)), .transmit(.text(#"{"type":"pong"}"#), carriesCredential: false),
                .keepalive(AppKeepalive(.pong, .out)),
            ]
        case "pong":
            return [.keepalive(AppKeepalive(.pong, .in))]
        default:
            return session.receive(message)
        }
    }

    public mutating func send(_ line: String, now: Double) -> [AppAction] { session.send(line) }

    public mutating func command(_ command: AppCommand, now: Double) -> [AppAction] { session.command(command) }

    /// graphql-transport-ws has no goodbye message: the close frame says it.
    public mutating func finish(now: Double) -> [AppAction] {
        session.end()
        return [.closeWebSocket]
    }

    public func closeVerdict(code: UInt16, reason: String) -> AppCloseVerdict? {
        session.closeVerdict(code: code, reason: reason)
    }

    public mutating func takeOver(from previous: any AppSession) {
        if let previous = previous as? GraphQLWSProtocol { session.takeOver(previous.session) }
    }
}
