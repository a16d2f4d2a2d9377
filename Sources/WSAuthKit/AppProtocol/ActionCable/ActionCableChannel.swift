/// A channel as `--channel` or `/subscribe` names it: a bare name is
/// `{"channel":"NAME"}`, else a JSON object with a `channel` string (the
/// identifier's other keys are the channel's params). The identifier travels as
/// a JSON string, and the server answers with that exact string, so it is the key.
public struct ActionCableChannel: Sendable, Equatable {
    /// The identifier as sent: JSON text.
    public let identifier: String
    /// Its `channel`, for people and the `message` event.
    public let name: String

    public init(_ argument: String) throws(Failure) {
        let text = String(argument.trimmingSpaces())
        guard text.first == "{" else {
            guard !text.isEmpty else {
                throw Failure.usage(
                    "--channel: give a channel name or a JSON identifier like {\"channel\":\"ChatChannel\"}"
                )
            }
            name = text
            identifier = JSONValue.object([("channel", .string(text))]).serialized()
            return
        }
        guard let value = try? JSONValue.parse(text), let channel = value["channel"]?.stringValue, !channel.isEmpty
        else {
            throw Failure.usage("--channel \(text): a JSON identifier must be an object with a \"channel\" string")
        }
        name = channel
        identifier = value.serialized()
    }

    /// The `channel` of an identifier the server sent back.
    static func name(of identifier: String) -> String {
        (try? JSONValue.parse(identifier))?["channel"]?.stringValue ?? identifier
    }
}
