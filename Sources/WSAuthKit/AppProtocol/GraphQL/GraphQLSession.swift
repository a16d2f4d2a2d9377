/// The part of a GraphQL WebSocket connection both protocols share (their
/// PROTOCOL.md files differ in names, not in shape): `connection_init` and the
/// bounded wait for `connection_ack`, lines queued until it comes, operations
/// started with fresh ids, their results, errors and completion, and what a
/// close code means. Each protocol keeps only its own message types
/// (graphql-transport-ws `ping`/`pong`, subscriptions-transport-ws `ka` and
/// `connection_error`) and its goodbye.
struct GraphQLSession: Sendable {
    /// The names one protocol gives to the shared messages.
    struct Dialect: Sendable {
        /// How violations and notices name the protocol (`graphql-transport-ws`).
        let label: String
        /// `--app` name.
        let app: String
        /// Starting an operation (`subscribe` / `start`).
        let start: String
        /// One result (`next` / `data`).
        let result: String
        /// Our end of an operation (`complete` / `stop`).
        let stop: String
    }

    let dialect: Dialect
    /// The filled `connection_init` payload (a JSON object), nil to send none.
    let payload: String?
    let handshakeTimeout: Double
    private(set) var acknowledged = false
    private(set) var ended = false
    private var handshakeDeadline: Double?
    private(set) var operations = GraphQLOperations()
    /// Lines that came before `connection_ack` (the clients queue them too).
    private var queued: [String] = []

    init(_ dialect: Dialect, authTemplate: String?, token: Secret?, handshakeTimeout: Double) {
        self.dialect = dialect
        payload = GraphQLOperations.initPayload(authTemplate ?? GraphQLWSProtocol.defaultAuthTemplate, token: token)
        self.handshakeTimeout = handshakeTimeout
    }

    var nextDeadline: Double? { ended || acknowledged ? nil : handshakeDeadline }

    mutating func start(now: Double) -> [AppAction] {
        handshakeDeadline = now + handshakeTimeout
        return [GraphQLOperations.initMessage(payload)]
    }

    mutating func timerFired(now: Double) -> [AppAction] {
        guard !ended, !acknowledged, let deadline = handshakeDeadline, now >= deadline else { return [] }
        ended = true
        return [.timedOut("no connection_ack within \(JSONValue.format(number: handshakeTimeout)) s")]
    }

    mutating func end() { ended = true }

    /// A message whose type both protocols share (`connection_ack`, the result,
    /// `error`, `complete`); anything else is shown, not dropped.
    mutating func receive(_ message: GraphQLMessage) -> [AppAction] {
        switch message.type {
        case "connection_ack":
            return acknowledge(message)
        case dialect.result:
            guard let id = message.id else { return [.violation("\(dialect.label): \(message.type) without an id")] }
            return [.deliver(GraphQLShown.result(message.payload, id: id))]
        case "error":
            guard let id = message.id else { return [.violation("\(dialect.label): error without an id")] }
            operations.end(id)
            return [.notice("operation \(id) error: \((message.payload ?? .null).serialized())")]
        case "complete":
            guard let id = message.id else { return [.violation("\(dialect.label): complete without an id")] }
            operations.end(id)
            return [.notice("operation \(id) complete")]
        default:
            return [.notice("\(dialect.label): unknown message type '\(message.type)'")]
        }
    }

    /// The session is up: the operations of the previous connection start again,
    /// then the lines that waited.
    private mutating func acknowledge(_ message: GraphQLMessage) -> [AppAction] {
        guard !acknowledged else { return [.violation("\(dialect.label): a second connection_ack")] }
        acknowledged = true
        let details = message.payload.map { [("payload", $0.serialized())] } ?? []
        let resumed = operations.takeResuming().map { operation(dialect.start, $0.id, $0.payload) }
        let lines = queued.flatMap { send($0) }
        queued = []
        return [.accepted(AppHandshake(app: dialect.app, details: details))] + resumed + lines
    }

    /// A JSON object goes out as it is; any other line is a GraphQL document to start.
    /// A start or stop message written out in JSON counts as one (a reconnect
    /// subscribes it again, with its id), as the document form does.
    mutating func send(_ line: String) -> [AppAction] {
        guard !ended else { return [.notice("not sent: the \(dialect.app) session has ended")] }
        guard acknowledged else {
            queued.append(line)
            return []
        }
        if let message = try? JSONValue.parse(line), case .object = message {
            if let id = message["id"]?.stringValue, let type = message["type"]?.stringValue {
                if type == dialect.start, let payload = message["payload"] { operations.track(id: id, payload: payload) }
                if type == dialect.stop { operations.end(id) }
            }
            return [.transmit(.text(line), carriesCredential: false)]
        }
        let started = operations.start(document: line)
        return [operation(dialect.start, started.id, started.payload)]
    }

    mutating func command(_ command: AppCommand) -> [AppAction] {
        switch command {
        case .subscribe(let document):
            return send(document)
        case .complete(let id):
            guard operations.end(id) else { return [.notice("no running operation \(id)")] }
            return [operation(dialect.stop, id, nil)]
        }
    }

    func closeVerdict(code: UInt16, reason: String) -> AppCloseVerdict? {
        GraphQLOperations.closeVerdict(code: code, reason: reason, acknowledged: acknowledged)
    }

    /// A reconnect: the running operations of the previous connection start again.
    mutating func takeOver(_ previous: GraphQLSession) {
        operations.resume(previous.operations)
    }

    private func operation(_ type: String, _ id: String, _ payload: JSONValue?) -> AppAction {
        var members: [(String, JSONValue)] = [("id", .string(id)), ("type", .string(type))]
        if let payload { members.append(("payload", payload)) }
        return .transmit(.text(JSONValue.object(members).serialized()), carriesCredential: false)
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
