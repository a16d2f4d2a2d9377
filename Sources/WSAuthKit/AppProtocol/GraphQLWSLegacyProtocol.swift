/// subscriptions-transport-ws (Apollo's original protocol, subprotocol
/// `graphql-ws`, its PROTOCOL.md; still served by Hasura, Strawberry and older
/// Apollo servers) as an `ApplicationProtocol` (cli.md "Application protocols",
/// `graphql-ws-legacy`).
///
/// We speak first: `connection_init` with the auth payload; the server answers
/// `connection_ack` or `connection_error` (a refusal). `ka` is the server's
/// keepalive (never answered). A line that is a JSON object goes out as is, any
/// other line is a GraphQL document sent as `start` with a fresh id; `data`
/// payloads are delivered, `error` reported, `complete` ends the operation,
/// `stop` ends one of ours and `connection_terminate` says goodbye.
public struct GraphQLWSLegacyProtocol: ApplicationProtocol {
    public let name = "graphql-ws-legacy"
    public let subprotocols = ["graphql-ws"]

    /// The filled `connection_init` payload (a JSON object), nil to send none.
    let payload: String?
    let handshakeTimeout: Double
    var acknowledged = false
    var ended = false
    var handshakeDeadline: Double?
    var operations = GraphQLOperations()
    /// Lines that came before `connection_ack` (Apollo's client queues them too).
    var queued: [String] = []

    /// `authTemplate` is `--auth-message`, by default graphql-ws's
    /// `{"Authorization":"Bearer {token}"}`.
    public init(authTemplate: String? = nil, token: Secret?,
                handshakeTimeout: Double = GraphQLWSProtocol.defaultHandshakeTimeout) {
        payload = GraphQLOperations.initPayload(authTemplate ?? GraphQLWSProtocol.defaultAuthTemplate, token: token)
        self.handshakeTimeout = handshakeTimeout
    }

    public var nextDeadline: Double? { ended || acknowledged ? nil : handshakeDeadline }

    public mutating func start(now: Double) -> [AppAction] {
        handshakeDeadline = now + handshakeTimeout
        return [GraphQLOperations.initMessage(payload)]
    }

    public mutating func timerFired(now: Double) -> [AppAction] {
        guard !ended, !acknowledged, let deadline = handshakeDeadline, now >= deadline else { return [] }
        ended = true
        return [.timedOut("no connection_ack within \(JSONValue.format(number: handshakeTimeout)) s")]
    }

    public mutating func receive(_ message: MessagePayload, now: Double) -> [AppAction] {
        guard let message = GraphQLMessage(message) else {
            return [.violation("subscriptions-transport-ws: a message that is not a JSON object with a type")]
        }
        switch message.type {
        case "connection_ack": return acknowledge(message)
        case "connection_error":
            guard !acknowledged else { return [.serverEnded(reason: "connection_error: \(Self.describe(message.payload))")] }
            ended = true
            return [.rejected(message: Self.describe(message.payload))]
        case "ka":
            return [.keepalive(AppKeepalive(.ping, .in, data: "ka"))]
        case "data":
            guard let id = message.id else { return [.violation("subscriptions-transport-ws: data without an id")] }
            return [.deliver(GraphQLShown.result(message.payload, id: id))]
        case "error":
            guard let id = message.id else { return [.violation("subscriptions-transport-ws: error without an id")] }
            operations.end(id)
            return [.notice("operation \(id) error: \((message.payload ?? .null).serialized())")]
        case "complete":
            guard let id = message.id else { return [.violation("subscriptions-transport-ws: complete without an id")] }
            operations.end(id)
            return [.notice("operation \(id) complete")]
        default:
            return [.notice("subscriptions-transport-ws: unknown message type '\(message.type)'")]
        }
    }

    /// `connection_error`'s payload is whatever the server's `onConnect` threw:
    /// its `message` when it has one.
    static func describe(_ payload: JSONValue?) -> String {
        payload?["message"]?.stringValue ?? payload?.serialized() ?? "connection_error without a payload"
    }

    private mutating func acknowledge(_ message: GraphQLMessage) -> [AppAction] {
        guard !acknowledged else { return [.violation("subscriptions-transport-ws: a second connection_ack")] }
        acknowledged = true
        let details = message.payload.map { [("payload", $0.serialized())] } ?? []
        let resumed = operations.takeResuming().map { Self.operation("start", $0.id, $0.payload) }
        let lines = queued.flatMap { send($0, now: 0) }
        queued = []
        return [.accepted(AppHandshake(app: name, details: details))] + resumed + lines
    }

    public mutating func send(_ line: String, now: Double) -> [AppAction] {
        guard !ended else { return [.notice("not sent: the graphql-ws-legacy session has ended")] }
        guard acknowledged else {
            queued.append(line)
            return []
        }
        if case .object? = try? JSONValue.parse(line) {
            return [.transmit(.text(line), carriesCredential: false)]
        }
        let operation = operations.start(document: line)
        return [Self.operation("start", operation.id, operation.payload)]
    }

    public mutating func command(_ command: AppCommand, now: Double) -> [AppAction] {
        switch command {
        case .subscribe(let document):
            return send(document, now: now)
        case .complete(let id):
            guard operations.end(id) else { return [.notice("no running operation \(id)")] }
            return [Self.operation("stop", id, nil)]
        }
    }

    /// `connection_terminate` first when the session is up (the Apollo client's `close()`).
    public mutating func finish(now: Double) -> [AppAction] {
        defer { ended = true }
        guard acknowledged, !ended else { return [.closeWebSocket] }
        return [.transmit(.text(#"{"type":"connection_terminate"}"#), carriesCredential: false), .closeWebSocket]
    }

    public func closeVerdict(code: UInt16, reason: String) -> AppCloseVerdict? {
        GraphQLOperations.closeVerdict(code: code, reason: reason, acknowledged: acknowledged)
    }

    public mutating func takeOver(from previous: any ApplicationProtocol) {
        if let previous = previous as? GraphQLWSLegacyProtocol { operations.resume(previous.operations) }
    }

    static func operation(_ type: String, _ id: String, _ payload: JSONValue?) -> AppAction {
        var members: [(String, JSONValue)] = [("id", .string(id)), ("type", .string(type))]
        if let payload { members.append(("payload", payload)) }
        return .transmit(.text(JSONValue.object(members).serialized()), carriesCredential: false)
    }
}
