/// graphql-transport-ws (the `graphql-ws` library's protocol, subprotocol
/// `graphql-transport-ws`, PROTOCOL.md) as an `ApplicationProtocol` (cli.md
/// "Application protocols", `graphql-ws`).
///
/// We speak first: `connection_init` with the auth payload; the server answers
/// `connection_ack`, or closes with 4401/4403 (auth) or 4408 (init too late).
/// `ping` is answered with `pong`; a line that is a JSON object goes out as is,
/// any other line is a GraphQL document sent as `subscribe` with a fresh id;
/// `next` payloads are delivered, `error` reported, `complete` ends the operation.
public struct GraphQLWSProtocol: ApplicationProtocol {
    public static let defaultAuthTemplate = #"{"Authorization":"Bearer {token}"}"#
    /// How long `connection_ack` may take without `--timeout` (graphql-ws's own
    /// `connectionInitWaitTimeout` default is 3 s on the server; we allow more).
    public static let defaultHandshakeTimeout = 10.0

    public let name = "graphql-ws"
    public let subprotocols = ["graphql-transport-ws"]

    /// The filled `connection_init` payload (a JSON object), nil to send none.
    let payload: String?
    let handshakeTimeout: Double
    var acknowledged = false
    var ended = false
    var handshakeDeadline: Double?
    var operations = GraphQLOperations()
    /// Lines that came before `connection_ack`: a subscribe before it is closed with 4401.
    var queued: [String] = []

    /// `authTemplate` is `--auth-message` (`{token}` replaced by the token,
    /// JSON-escaped); without a token a template needing one sends no payload.
    public init(authTemplate: String? = nil, token: Secret?, handshakeTimeout: Double = defaultHandshakeTimeout) {
        payload = GraphQLOperations.initPayload(authTemplate ?? GraphQLWSProtocol.defaultAuthTemplate, token: token)
        self.handshakeTimeout = handshakeTimeout
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
            return [.violation("graphql-transport-ws: a message that is not a JSON object with a type")]
        }
        switch message.type {
        case "connection_ack": return acknowledge(message)
        case "ping":
            return [.keepalive(AppKeepalive(.ping, .in)), .transmit(.text(#"{"type":"pong"}"#), carriesCredential: false),
                    .keepalive(AppKeepalive(.pong, .out))]
        case "pong":
            return [.keepalive(AppKeepalive(.pong, .in))]
        case "next":
            guard let id = message.id else { return [.violation("graphql-transport-ws: next without an id")] }
            return [.deliver(GraphQLShown.result(message.payload, id: id))]
        case "error":
            guard let id = message.id else { return [.violation("graphql-transport-ws: error without an id")] }
            operations.end(id)
            return [.notice("operation \(id) error: \((message.payload ?? .null).serialized())")]
        case "complete":
            guard let id = message.id else { return [.violation("graphql-transport-ws: complete without an id")] }
            operations.end(id)
            return [.notice("operation \(id) complete")]
        default:
            return [.notice("graphql-transport-ws: unknown message type '\(message.type)'")]
        }
    }

    private mutating func acknowledge(_ message: GraphQLMessage) -> [AppAction] {
        guard !acknowledged else { return [.violation("graphql-transport-ws: a second connection_ack")] }
        acknowledged = true
        let details = message.payload.map { [("payload", $0.serialized())] } ?? []
        let resumed = operations.takeResuming().map { subscribe($0.id, $0.payload) }
        let lines = queued.flatMap { send($0, now: 0) }
        queued = []
        return [.accepted(AppHandshake(app: name, details: details))] + resumed + lines
    }

    public mutating func send(_ line: String, now: Double) -> [AppAction] {
        guard !ended else { return [.notice("not sent: the graphql-ws session has ended")] }
        guard acknowledged else {
            queued.append(line)
            return []
        }
        if case .object? = try? JSONValue.parse(line) {
            return [.transmit(.text(line), carriesCredential: false)]
        }
        let operation = operations.start(document: line)
        return [subscribe(operation.id, operation.payload)]
    }

    public mutating func command(_ command: AppCommand, now: Double) -> [AppAction] {
        switch command {
        case .subscribe(let document):
            return send(document, now: now)
        case .complete(let id):
            guard operations.end(id) else { return [.notice("no running operation \(id)")] }
            let body = JSONValue.object([("id", .string(id)), ("type", .string("complete"))])
            return [.transmit(.text(body.serialized()), carriesCredential: false)]
        }
    }

    public mutating func finish(now: Double) -> [AppAction] {
        ended = true
        return [.closeWebSocket]
    }

    public func closeVerdict(code: UInt16, reason: String) -> AppCloseVerdict? {
        GraphQLOperations.closeVerdict(code: code, reason: reason, acknowledged: acknowledged)
    }

    public mutating func takeOver(from previous: any ApplicationProtocol) {
        if let previous = previous as? GraphQLWSProtocol { operations.resume(previous.operations) }
    }

    private func subscribe(_ id: String, _ payload: JSONValue) -> AppAction {
        let body = JSONValue.object([("id", .string(id)), ("type", .string("subscribe")), ("payload", payload)])
        return .transmit(.text(body.serialized()), carriesCredential: false)
    }
}

/// One message of either GraphQL WebSocket protocol: a JSON object with a
/// string `type`, an optional string `id` and an optional `payload`.
struct GraphQLMessage {
    let type: String
    let id: String?
    let payload: JSONValue?

    init?(_ message: MessagePayload) {
        guard case .text(let text) = message, let json = try? JSONValue.parse(text),
              case .object = json, let type = json["type"]?.stringValue else { return nil }
        self.type = type
        id = json["id"]?.stringValue
        payload = json["payload"]
    }
}
