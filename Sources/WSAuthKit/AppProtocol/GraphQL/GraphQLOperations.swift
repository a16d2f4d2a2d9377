/// What graphql-transport-ws and subscriptions-transport-ws share: the
/// `connection_init` payload, the operations a connection runs (fresh ids, and
/// the running ones, which a reconnect subscribes again like the graphql-ws
/// client's retry and Apollo's `reconnect: true`), and what the close codes of
/// graphql-ws PROTOCOL.md mean for the session.
struct GraphQLOperations: Sendable {
    /// The running operations in the order they started: id and `payload`.
    private(set) var running: [(id: String, payload: JSONValue)] = []
    /// Operations to start again once the server acknowledges this connection.
    private(set) var resuming: [(id: String, payload: JSONValue)] = []
    private var nextID = 1

    /// The filled `connection_init` payload (`--auth-message`, `{token}` replaced
    /// JSON-escaped); without a token a template needing one sends no payload.
    static func initPayload(_ template: String, token: Secret?) -> String? {
        if let token { return TokenPresentation.fillJSON(template, token: token.reveal()) }
        return template.contains("{token}") ? nil : template
    }

    /// The `connection_init` message (carrying the credential when there is a payload).
    static func initMessage(_ payload: String?) -> AppAction {
        let body = payload.map { #"{"type":"connection_init","payload":\#($0)}"# } ?? #"{"type":"connection_init"}"#
        return .transmit(.text(body), carriesCredential: payload != nil)
    }

    /// A new operation for a GraphQL document: its id and `{"query": …}` payload.
    mutating func start(document: String) -> (id: String, payload: JSONValue) {
        let payload = JSONValue.object([("query", .string(document))])
        return start(payload)
    }

    mutating func start(_ payload: JSONValue) -> (id: String, payload: JSONValue) {
        while running.contains(where: { $0.id == String(nextID) }) { nextID += 1 }
        let id = String(nextID)
        nextID += 1
        running.append((id, payload))
        return (id, payload)
    }

    /// An operation the user started with its own id (a raw JSON line).
    mutating func track(id: String, payload: JSONValue) {
        end(id)
        running.append((id, payload))
    }

    /// The server completed or failed the operation, or we stopped it: false when it was not running.
    @discardableResult
    mutating func end(_ id: String) -> Bool {
        guard let index = running.firstIndex(where: { $0.id == id }) else { return false }
        running.remove(at: index)
        return true
    }

    func isRunning(_ id: String) -> Bool { running.contains { $0.id == id } }

    /// A reconnect: the previous connection's running operations start again, with their ids.
    mutating func resume(_ previous: GraphQLOperations) {
        resuming = previous.running + previous.resuming.filter { old in !previous.running.contains { $0.id == old.id } }
        nextID = max(nextID, previous.nextID)
    }

    /// Taken once the connection is acknowledged: they are running again.
    mutating func takeResuming() -> [(id: String, payload: JSONValue)] {
        defer { resuming = [] }
        for operation in resuming where !isRunning(operation.id) { running.append(operation) }
        return resuming
    }

    /// graphql-ws PROTOCOL.md: 4401/4403 before the acknowledgement refuse the
    /// credentials; 4400 (bad message), 4406 (subprotocol), 4408 (init timeout),
    /// 4409 (duplicate id) and 4429 (init twice) say we broke the protocol.
    static func closeVerdict(code: UInt16, reason: String, acknowledged: Bool) -> AppCloseVerdict? {
        let closeCode = CloseCode(rawValue: code)
        let why = reason.isEmpty ? "" : " \"\(reason)\""
        let described = "close \(code)\(why) (\(closeCode.name): \(closeCode.meaning))"
        switch code {
        case 4401, 4403: return acknowledged ? nil : .refused(described)
        case 4400, 4406, 4408, 4409, 4429: return .protocolError(described)
        default: return nil
        }
    }
}
