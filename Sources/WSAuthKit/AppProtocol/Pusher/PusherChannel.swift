/// A channel as `--channel` or `/subscribe` names it. Names are letters, digits
/// and `_-=@,.;`, at most 164 characters (Pusher's channel naming rules); the
/// prefix says how it is subscribed.
public struct PusherChannel: Sendable, Equatable {
    public let name: String

    public init(_ argument: String) throws(Failure) {
        let name = String(argument.trimmingSpaces())
        let allowed = Set("_-=@,.;")
        guard !name.isEmpty, name.count <= 164,
            name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || allowed.contains($0) })
        else {
            throw Failure.usage("--channel \(argument): a Pusher channel name is 1–164 letters, digits and _-=@,.;")
        }
        self.name = name
    }

    /// `private-` and `presence-` channels (`private-encrypted-` among them) are
    /// subscribed only with an authorization from the app.
    public var needsAuthorization: Bool {
        name.hasPrefix("private-") || name.hasPrefix("presence-")
    }
}
