/// The JSON messages of the Pusher Channels protocol 7 (Pusher's "Pusher Channels
/// Protocol", pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol):
/// one object per text message, `{"event":…,"channel":…,"data":…}`, where `data`
/// is most often a JSON string that holds JSON.
enum PusherMessage: Equatable {
    /// `pusher:connection_established`; its `data` is a string holding
    /// `{"socket_id":…,"activity_timeout":…}`.
    case established(socketID: String, activityTimeout: Double?)
    /// `pusher_internal:subscription_succeeded` on `channel`.
    case subscribed(channel: String)
    /// `pusher:subscription_error` (Soketi): `data` holds `type`, `error` and `status`.
    case subscriptionError(channel: String?, status: Int?, error: String?)
    /// `pusher:error`: `data` holds `message` and `code` (null for some refusals).
    case error(code: Int?, message: String?)
    case ping
    case pong
    /// Any other event: what a channel carries (client events, server triggers,
    /// presence's `pusher_internal:member_added`); `data` as the server sent it.
    case event(name: String, channel: String?, data: JSONValue?)

    enum Invalid: Error, Equatable {
        /// Not a JSON object with an `event` string.
        case notAnEvent
        /// A `pusher:` event whose `data` lacks what the protocol puts there.
        case malformed(String)
    }

    init(text: String) throws(Invalid) {
        guard let value = try? JSONValue.parse(text), value.objectMembers != nil,
            let name = value["event"]?.stringValue
        else { throw .notAnEvent }
        let channel = value["channel"]?.stringValue
        // `data` is a JSON string for the server's own events, an object for some servers' errors.
        let data = value["data"].map(PusherMessage.unwrapped)
        switch name {
        case "pusher:connection_established":
            guard let socketID = data?["socket_id"]?.stringValue, !socketID.isEmpty else {
                throw .malformed("pusher:connection_established without a socket_id")
            }
            self = .established(socketID: socketID, activityTimeout: data?["activity_timeout"]?.numberValue)
        case "pusher_internal:subscription_succeeded":
            guard let channel else { throw .malformed("pusher_internal:subscription_succeeded without a channel") }
            self = .subscribed(channel: channel)
        case "pusher:subscription_error":
            self = .subscriptionError(
                channel: channel,
                status: data?["status"]?.numberValue.map { Int($0) },
                error: data?["error"]?.stringValue ?? data?["type"]?.stringValue
            )
        case "pusher:error":
            self = .error(code: data?["code"]?.numberValue.map { Int($0) }, message: data?["message"]?.stringValue)
        case "pusher:ping":
            self = .ping
        case "pusher:pong":
            self = .pong
        default:
            self = .event(name: name, channel: channel, data: value["data"])
        }
    }

    /// A string holding JSON → that JSON; anything else as it is.
    static func unwrapped(_ data: JSONValue) -> JSONValue {
        guard let text = data.stringValue, let inner = try? JSONValue.parse(text) else { return data }
        return inner
    }

    /// `data` as received, as text: a string's own characters, else its JSON.
    static func text(of data: JSONValue?) -> String {
        guard let data else { return "" }
        return data.stringValue ?? data.serialized()
    }

    /// `{"event":NAME,"data":DATA}`: what the client sends of the protocol's own.
    static func client(_ name: String, data: JSONValue) -> String {
        JSONValue.object([("event", .string(name)), ("data", data)]).serialized()
    }

    /// `pusher:subscribe`; for a private or presence channel with `auth` and
    /// `channel_data` exactly as the authorization endpoint gave them.
    static func subscribe(_ channel: String, authorization: [(String, JSONValue)] = []) -> String {
        client("pusher:subscribe", data: .object([("channel", .string(channel))] + authorization))
    }
}
