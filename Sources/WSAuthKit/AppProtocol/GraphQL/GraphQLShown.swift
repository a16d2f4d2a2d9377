/// How people read GraphQL operations in the REPL: what we started or ended
/// (`subscribe 1 subscription { count }`, `complete 1`) and a result with its
/// operation id and the payload pretty-printed.
public enum GraphQLShown {
    /// The operation a frame we sent starts or ends, nil for the protocol's own
    /// frames (`connection_init`, `pong`, `connection_terminate`).
    public static func sentOperation(_ frame: String) -> String? {
        guard let message = GraphQLMessage(.text(frame)), let id = message.id else { return nil }
        switch message.type {
        case "subscribe", "start":
            let query = message.payload?["query"]?.stringValue ?? message.payload?.serialized() ?? ""
            return "\(message.type) \(id) \(query)"
        case "complete", "stop":
            return "\(message.type) \(id)"
        default:
            return nil
        }
    }

    /// Whether a delivered message is a GraphQL result (it carries its operation `id`).
    public static func isResult(_ message: AppMessage) -> Bool { message.fields["id"] != nil }

    /// `1 {` … `}`: the operation id, then the result pretty-printed.
    public static func shown(_ message: AppMessage, redactor: Redactor?) -> String {
        let body = (try? JSONValue.parse(message.text)).map { $0.pretty(redactor: redactor) } ?? message.text
        return [message.label, body].compactMap { $0 }.joined(separator: " ")
    }

    /// A `next`/`data` result: the payload as the text, the id as label and field.
    static func result(_ payload: JSONValue?, id: String) -> AppMessage {
        AppMessage(text: (payload ?? .null).serialized(), label: id, fields: ["id": .string(id)])
    }
}
