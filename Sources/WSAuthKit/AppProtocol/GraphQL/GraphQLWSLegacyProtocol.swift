/// subscriptions-transport-ws (Apollo's original protocol, subprotocol
/// `graphql-ws`, its PROTOCOL.md; still served by Hasura, Strawberry and older
/// Apollo servers) as an `AppSession` (docs/protocols.md,
/// `graphql-ws-legacy`).
///
/// We speak first: `connection_init` with the auth payload; the server answers
/// `connection_ack` or `connection_error` (a refusal). `ka` is the server's
/// keepalive (never answered). A line that is a JSON object goes out as is, any
/// other line is a GraphQL document sent as `start` with a fresh id; `data`
/// payloads are delivered, `error` reported, `complete` ends the operation,
/// `stop` ends one of ours and `connection_terminate` says goodbye.
public struct GraphQLWSLegacyProtocol: AppSession {
    public let name = "graphql-ws-legacy"
    public let subprotocols = ["graphql-ws"]

    var session: GraphQLSession

    /// `authTemplate` is `--auth-message`, by default graphql-ws's
    /// `{"Authorization":"Bearer {token}"}`.
    public init(
        authTemplate: String? = nil,
        token: Secret?,
        handshakeTimeout: Double = GraphQLWSProtocol.defaultHandshakeTimeout
    ) {
        session = GraphQLSession(
            GraphQLSession.Dialect(
                label: "subscriptions-transport-ws",
                app: "graphql-ws-legacy",
                start: "start",
                result: "data",
                stop: "stop"
            ),
            authTemplate: authTemplate,
            token: token,
            handshakeTimeout: handshakeTimeout
        )
    }

    public var nextDeadline: Double? { session.nextDeadline }

    public mutating func start(now: Double) -> [AppAction] { session.start(now: now) }

    public mutating func timerFired(now: Double) -> [AppAction] { session.timerFired(now: now) }

    /// `connection_error` refuses before the acknowledgement and ends the session
    /// after it; `ka` is the server's keepalive, never answered.
    public mutating func receive(_ message: MessagePayload, now: Double) -> [AppAction] {
        guard let message = GraphQLMessage(message) else {
            return [.violation("subscriptions-transport-ws: a message that is not a JSON object with a type")]
        }
        switch message.type {
        case "connection_error":
            guard !session.acknowledged else {
                return [.serverEnded(reason: "connection_error: \(Self.describe(message.payload))")]
            }
            session.end()
            return [.rejected(message: Self.describe(message.payload))]
        case "ka":
            return [.keepalive(AppKeepalive(.ping, .in, data: "ka"))]
        default:
            return session.receive(message)
        }
    }

    /// `connection_error`'s payload is whatever the server's `onConnect` threw:
    /// its `message` when it has one.
    static func describe(_ payload: JSONValue?) -> String {
        payload?["message"]?.stringValue ?? payload?.serialized() ?? "connection_error without a payload"
    }

    public mutating func send(_ line: String, now: Double) -> [AppAction] { session.send(line) }

    public mutating func command(_ command: AppCommand, now: Double) -> [AppAction] { session.command(command) }

    /// `connection_terminate` first when the session is up (the Apollo client's `close()`).
    public mutating func finish(now: Double) -> [AppAction] {
        defer { session.end() }
        guard session.acknowledged, !session.ended else { return [.closeWebSocket] }
        return [.transmit(.text(#"{"type":"connection_terminate"}"#), carriesCredential: false), .closeWebSocket]
    }

    public func closeVerdict(code: UInt16, reason: String) -> AppCloseVerdict? {
        session.closeVerdict(code: code, reason: reason)
    }

    public mutating func takeOver(from previous: any AppSession) {
        if let previous = previous as? GraphQLWSLegacyProtocol { session.takeOver(previous.session) }
    }
}
