/// `--app pusher`'s flags, checked once before any connection (docs/protocols.md, `pusher`).
public struct PusherSettings: Sendable {
    public let channels: [PusherChannel]
    /// `--channel-auth-url`: where private and presence channels are authorized.
    public let authURL: String?

    public static let defaultHandshakeTimeout = 10.0

    public init(channels: [String], authURL: String?) throws(Failure) {
        var parsed: [PusherChannel] = []
        for argument in channels { parsed.append(try PusherChannel(argument)) }
        if let authURL {
            let lowered = authURL.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), !URLParts(authURL).host.isEmpty,
                !authURL.contains(where: { $0 == " " || $0.isNewline })
            else {
                throw Failure.usage(
                    "--channel-auth-url \(authURL): give the http(s) URL of the app's channel "
                        + "authorization, like https://app.example/broadcasting/auth"
                )
            }
        }
        if authURL == nil, let first = parsed.first(where: \.needsAuthorization) {
            throw Failure.usage(
                "--channel \(first.name): a private or presence channel needs --channel-auth-url URL "
                    + "(the app's /broadcasting/auth)"
            )
        }
        self.channels = parsed
        self.authURL = authURL
    }
}
