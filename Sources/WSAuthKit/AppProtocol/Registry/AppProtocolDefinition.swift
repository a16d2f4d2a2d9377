/// One application protocol as the command layer sees it (docs/protocols.md):
/// everything about it that is not its sans-IO session lives here, so that the
/// CLI, the REPL, doctor and `wsauth codes` look a protocol up instead of
/// switching on its name. A new protocol is its own folder plus one line in
/// `AppRegistry.all` (CONTRIBUTING.md "Add a protocol").
public struct AppProtocolDefinition: Sendable {
    /// The `--app` name.
    public let name: String
    /// One sentence for `--app` help: what it is and where the token goes.
    public let summary: String
    /// `--auth-message`'s default for it, named in that flag's help; nil when it has none.
    public let defaultAuthMessage: String?
    /// The flags of its group that only this protocol reads (`--namespace` …),
    /// named in its help and refused with another `--app`.
    public let flags: [String]
    /// The URL as given → the one to upgrade (Socket.IO adds `/socket.io/?EIO=4…`).
    public let resolveURL: @Sendable (String) throws(Failure) -> WebSocketURL
    /// The flags checked once, before any connection: the protocol ready to run.
    public let configure: @Sendable (AppOptions) throws(Failure) -> AppConfiguration
    /// How its messages read in the REPL.
    public let rendering: AppRendering
    /// Its REPL commands beyond lines of input (`/emit`, `/subscribe`, `/complete`).
    public let replCommands: [AppReplCommand]
    /// What its close codes, or the codes it reports in close reasons, mean (`wsauth codes`).
    public let codeMeanings: [AppCodeMeaning]
    /// The token rides in the app's own handshake unless `--token-in` says otherwise;
    /// false for protocols that authenticate at the upgrade (plain-socket credentials).
    public let tokenInPayload: Bool

    public init(
        name: String,
        summary: String,
        defaultAuthMessage: String? = nil,
        flags: [String] = [],
        resolveURL: @escaping @Sendable (String) throws(Failure) -> WebSocketURL = { text throws(Failure) in
            try WebSocketURL.parse(text)
        },
        configure: @escaping @Sendable (AppOptions) throws(Failure) -> AppConfiguration,
        rendering: AppRendering = AppRendering(),
        replCommands: [AppReplCommand] = [],
        codeMeanings: [AppCodeMeaning] = [],
        tokenInPayload: Bool = true
    ) {
        self.name = name
        self.summary = summary
        self.defaultAuthMessage = defaultAuthMessage
        self.flags = flags
        self.resolveURL = resolveURL
        self.configure = configure
        self.rendering = rendering
        self.replCommands = replCommands
        self.codeMeanings = codeMeanings
        self.tokenInPayload = tokenInPayload
    }
}

/// A protocol with its flags applied: what one run needs of it.
public struct AppConfiguration: Sendable {
    /// Offered before the user's `--subprotocol` values.
    public let subprotocols: [String]
    /// Secrets it reads itself (a STOMP passcode, an MQTT password), for the redactor.
    public let secrets: [Secret]
    /// The prompt's name for it (`socketio /admin`, `mqtt 5`).
    public let label: String
    /// Doctor's fix when the app refuses, beyond where the token goes.
    public let doctorHint: String
    /// One session per connection, with the token then in use (nil when it rides in
    /// the upgrade) and `--timeout` as the bound of the app handshake when given.
    public let makeSession: @Sendable (_ token: Secret?, _ handshakeTimeout: Double?) -> any AppSession
    /// How its messages read when that depends on the flags (MQTT's version);
    /// nil for the definition's.
    public let rendering: AppRendering?

    public init(
        subprotocols: [String] = [],
        secrets: [Secret] = [],
        label: String,
        doctorHint: String = AppConfiguration.payloadHint,
        rendering: AppRendering? = nil,
        makeSession: @escaping @Sendable (_ token: Secret?, _ handshakeTimeout: Double?) -> any AppSession
    ) {
        self.rendering = rendering
        self.subprotocols = subprotocols
        self.secrets = secrets
        self.label = label
        self.doctorHint = doctorHint
        self.makeSession = makeSession
    }

    public static let payloadHint = "the auth payload the server expects (`--auth-message TEMPLATE`)"
}

/// How a protocol's messages read for people (the REPL); the JSON events carry
/// `AppMessage`'s fields whatever this says.
public struct AppRendering: Sendable {
    /// A delivered message, one or more lines (`welcome [{"user":"alice"}]`).
    public let received: @Sendable (AppMessage, Redactor?) -> String
    /// What a data message we sent carries (`chat ["hi"]`), nil for the protocol's
    /// own frames (CONNECT, pongs), which only `/raw` shows.
    public let sent: @Sendable (MessagePayload) -> String?

    public init(
        received: @escaping @Sendable (AppMessage, Redactor?) -> String = AppRendering.labelled,
        sent: @escaping @Sendable (MessagePayload) -> String? = { _ in nil }
    ) {
        self.received = received
        self.sent = sent
    }

    /// `label text`: the default.
    public static let labelled: @Sendable (AppMessage, Redactor?) -> String = { message, _ in
        [message.label, message.text].compactMap { $0 }.joined(separator: " ")
    }
}

/// A REPL command a protocol adds (`/emit EVENT JSON…`).
public struct AppReplCommand: Sendable {
    /// `/emit`.
    public let name: String
    /// `/emit EVENT [JSON…]`: the usage line, shown by `/help` and for a bad argument.
    public let usage: String
    public let help: String
    /// The argument → what to do; nil when it is not usable (then the usage is shown).
    public let parse: @Sendable (String) -> AppReplInput?

    public init(name: String, usage: String, help: String, parse: @escaping @Sendable (String) -> AppReplInput?) {
        self.name = name
        self.usage = usage
        self.help = help
        self.parse = parse
    }

    /// `/subscribe ARG` as an `AppCommand`, with the protocol's word for ARG.
    public static func subscribe(_ argument: String, help: String) -> AppReplCommand {
        AppReplCommand(name: "/subscribe", usage: "/subscribe \(argument)", help: help) {
            $0.isEmpty ? nil : .command(.subscribe($0))
        }
    }

    /// `/complete ARG` as an `AppCommand`.
    public static func complete(_ argument: String, help: String) -> AppReplCommand {
        AppReplCommand(name: "/complete", usage: "/complete \(argument)", help: help) {
            $0.isEmpty ? nil : .command(.complete($0))
        }
    }
}

/// What a protocol's REPL command asks for.
public enum AppReplInput: Sendable, Equatable {
    /// A line of input in the protocol's terms (what `/emit` builds).
    case line(String)
    case command(AppCommand)
}

/// One code a protocol gives a meaning to (`wsauth codes`).
public struct AppCodeMeaning: Sendable, Equatable {
    public enum Space: String, Sendable {
        case close = "close code"
        case reason = "reason code"
    }
    public let code: Int
    /// The last code of a range the protocol gives one meaning (Pusher's 4000–4099); `code` when it is one code.
    public let last: Int
    public let space: Space
    /// `not authorized (0x87)`: the name in the protocol's specification.
    public let name: String
    /// What wsauth does with it (exit code, reconnect).
    public let meaning: String

    public init(_ code: Int, through last: Int? = nil, _ space: Space = .close, name: String, meaning: String) {
        self.code = code
        self.last = last ?? code
        self.space = space
        self.name = name
        self.meaning = meaning
    }

    public func covers(_ code: Int) -> Bool { (self.code...last).contains(code) }
}
