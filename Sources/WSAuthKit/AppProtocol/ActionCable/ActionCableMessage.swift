/// The JSON messages of Action Cable 6.1 (`ActionCable::INTERNAL` in action_cable.rb,
/// `Connection::Base#transmit`, `Channel::Base#transmit`): one JSON object per text message.
enum ActionCableMessage: Equatable {
    /// `{"type":"welcome"}`: the connection's `connect` accepted us.
    case welcome
    /// `{"type":"ping","message":EPOCH}`, every 3 s (`Server::Connections::BEAT_INTERVAL`).
    case ping(String)
    /// `{"type":"disconnect","reason":…,"reconnect":…}` (`Connection::Base#close`);
    /// `reconnect` is true when absent, as the JavaScript client reads it.
    case disconnect(reason: String?, reconnect: Bool)
    /// `{"identifier":…,"type":"confirm_subscription"}`.
    case confirmed(identifier: String)
    /// `{"identifier":…,"type":"reject_subscription"}`.
    case rejected(identifier: String)
    /// `{"identifier":…,"message":…}`: what a channel transmits or broadcasts.
    case message(identifier: String, message: JSONValue)
    /// Anything else that is a JSON object: shown, not acted on.
    case other(String)

    /// A text message from the server; nil when it is not a JSON object.
    init?(text: String) {
        guard let value = try? JSONValue.parse(text), value.objectMembers != nil else { return nil }
        let identifier = value["identifier"]?.stringValue
        switch (value["type"]?.stringValue, identifier) {
        case ("welcome"?, _):
            self = .welcome
        case ("ping"?, _):
            self = .ping(value["message"].map { $0.stringValue ?? $0.serialized() } ?? "")
        case ("disconnect"?, _):
            let reconnect: Bool
            if case .bool(let flag)? = value["reconnect"] { reconnect = flag } else { reconnect = true }
            self = .disconnect(reason: value["reason"]?.stringValue, reconnect: reconnect)
        case ("confirm_subscription"?, let identifier?):
            self = .confirmed(identifier: identifier)
        case ("reject_subscription"?, let identifier?):
            self = .rejected(identifier: identifier)
        case (nil, let identifier?) where value["message"] != nil:
            self = .message(identifier: identifier, message: value["message"]!)
        default:
            self = .other(text)
        }
    }

    /// `{"command":"subscribe"|"unsubscribe","identifier":…}` (`Connection::Subscriptions#execute_command`).
    static func command(_ command: String, identifier: String) -> String {
        JSONValue.object([("command", .string(command)), ("identifier", .string(identifier))]).serialized()
    }

    /// `{"command":"message","identifier":…,"data":…}`: `data` is JSON text the
    /// channel decodes (`Subscriptions#perform_action`) and dispatches by its `action`.
    static func perform(identifier: String, data: String) -> String {
        JSONValue.object([
            ("command", .string("message")), ("identifier", .string(identifier)), ("data", .string(data)),
        ]).serialized()
    }
}
