/// How people type and read Socket.IO events in the REPL: `/emit EVENT JSON…`
/// becomes the JSON array line `SocketIOProtocol.send` takes, and a delivered
/// event reads `event-name [args]`.
public enum SocketIOCommand {
    /// `chat {"text":"hi"}` → `["chat",{"text":"hi"}]`. The arguments are one
    /// JSON value, several separated by commas, or else one string (so
    /// `/emit chat hello there` sends `["chat","hello there"]`). Nil without an event name.
    public static func emitLine(_ arguments: String) -> String? {
        let trimmed = arguments.drop { $0.isWhitespace }
        let name = trimmed.prefix { !$0.isWhitespace }
        guard !name.isEmpty else { return nil }
        let rest = String(trimmed.dropFirst(name.count).drop { $0.isWhitespace })
        return JSONValue.array([.string(String(name))] + values(rest)).serialized()
    }

    private static func values(_ rest: String) -> [JSONValue] {
        if rest.isEmpty { return [] }
        if let one = try? JSONValue.parse(rest) { return [one] }
        if case .array(let many)? = try? JSONValue.parse("[" + rest + "]") { return many }
        return [.string(rest)]
    }

    /// The event an Engine.IO frame we sent carries (`chat ["hi"]`), nil for
    /// the protocol's own frames (CONNECT, pongs, DISCONNECT).
    public static func sentEvent(_ frame: String) -> String? {
        guard frame.hasPrefix("4"), let packet = try? SocketIOPacket.parse(String(frame.dropFirst())),
            packet.kind == .event, let name = packet.eventName, case .array(let items)? = packet.payload
        else { return nil }
        return name + " " + JSONValue.array(Array(items.dropFirst())).serialized()
    }

    /// `welcome [{"user":"alice"}]` for an event, `ack 0 [["hi"]]` for an acknowledgement.
    public static func shown(_ message: AppMessage) -> String {
        guard message.fields["name"] != nil, case .array(let items)? = try? JSONValue.parse(message.text) else {
            return [message.label, message.text].compactMap { $0 }.joined(separator: " ")
        }
        return (message.label ?? "") + " " + JSONValue.array(Array(items.dropFirst())).serialized()
    }
}
