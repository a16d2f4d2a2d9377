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

    enum Phase: Sendable {
        /// `connection_init` is out (once started): `connection_ack` is due by `deadline`.
        /// `queued`: lines that came before it (the clients queue them too).
        case initializing(deadline: Double?, queued: [String])
        case acknowledged
        /// `acknowledged`: the ack had come (a close code means something else after it).
        /// `unsent`: lines still queued when it ended, said not sent should the ack come late.
        case ended(acknowledged: Bool, unsent: [String])
    }

    let dialect: Dialect
    /// The filled `connection_init` payload (a JSON object), nil to send none.
    let payload: String?
    let handshakeTimeout: Double
    private(set) var phase = Phase.initializing(deadline: nil, queued: [])
    private(set) var operations = GraphQLOperations()

    init(_ dialect: Dialect, authTemplate: String?, token: Secret?, handshakeTimeout: Double) {
        self.dialect = dialect
        payload = GraphQLOperations.initPayload(authTemplate ?? GraphQLWSProtocol.defaultAuthTemplate, token: token)
        self.handshakeTimeout = handshakeTimeout
    }

    var acknowledged: Bool {
        switch phase {
        case .initializing: false
        case .acknowledged: true
        case .ended(let acknowledged, _): acknowledged
        }
    }

    var ended: Bool {
        if case .ended = phase { true } else { false }
    }

    var nextDeadline: Double? {
        if case .initializing(let deadline, _) = phase { deadline } else { nil }
    }

    mutating func start(now: Double) -> [AppAction] {
        if case .initializing(_, let queued) = phase {
            phase = .initializing(deadline: now + handshakeTimeout, queued: queued)
        }
        return [GraphQLOperations.initMessage(payload)]
    }

    mutating func timerFired(now: Double) -> [AppAction] {
        guard case .initializing(let deadline?, _) = phase, now >= deadline else { return [] }
        end()
        return [.timedOut("no connection_ack within \(JSONValue.format(number: handshakeTimeout)) s")]
    }

    mutating func end() {
        switch phase {
        case .initializing(_, let queued): phase = .ended(acknowledged: false, unsent: queued)
        case .acknowledged: phase = .ended(acknowledged: true, unsent: [])
        case .ended: break
        }
    }

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
        let waiting: [String]
        switch phase {
        case .acknowledged, .ended(acknowledged: true, _):
            return [.violation("\(dialect.label): a second connection_ack")]
        case .initializing(_, let queued):
            phase = .acknowledged
            waiting = queued
        case .ended(acknowledged: false, let unsent):
            // Too late: the lines that waited are said not sent.
            phase = .ended(acknowledged: true, unsent: [])
            waiting = unsent
        }
        let details = message.payload.map { [("payload", $0.serialized())] } ?? []
        let resumed = operations.takeResuming().map { operation(dialect.start, $0.id, $0.payload) }
        let lines = waiting.flatMap { send($0) }
        return [.accepted(AppHandshake(app: dialect.app, details: details))] + resumed + lines
    }

    /// A JSON object goes out as it is; any other line is a GraphQL document to start.
    /// A start or stop message written out in JSON counts as one (a reconnect
    /// subscribes it again, with its id), as the document form does.
    mutating func send(_ line: String) -> [AppAction] {
        switch phase {
        case .ended:
            return [.notice("not sent: the \(dialect.app) session has ended")]
        case .initializing(let deadline, var queued):
            queued.append(line)
            phase = .initializing(deadline: deadline, queued: queued)
            return []
        case .acknowledged:
            break
        }
        if let message = try? JSONValue.parse(line), case .object = message {
            if let id = message["id"]?.stringValue, let type = message["type"]?.stringValue {
                if type == dialect.start, let payload = message["payload"] {
                    operations.track(id: id, payload: payload)
                }
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
            case .object = json, let type = json["type"]?.stringValue
        else { return nil }
        self.type = type
        id = json["id"]?.stringValue
        payload = json["payload"]
    }
}
