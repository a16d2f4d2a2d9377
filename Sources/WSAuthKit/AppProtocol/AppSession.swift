/// An application protocol carried inside the WebSocket (docs/reference/behaviour.md "Application
/// protocols": Socket.IO, graphql-ws, STOMP): the seam between the session and
/// the protocol spoken over it.
///
/// Sans-IO like the RFC 6455 core: WebSocket data messages, lines of input and
/// timer ticks go in; `AppAction`s come out for the session to carry out. An
/// implementation never touches a socket, a terminal or a clock — `now` is the
/// caller's monotonic time in seconds — so every path is unit-testable with
/// frames captured from a real peer. The session machine, the connection loop,
/// scripting (`--send/--expect/--count`), the REPL and the JSON events know this
/// protocol and `AppAction`, never Socket.IO or STOMP themselves.
///
/// One value lives for one WebSocket connection; a reconnect makes a new one
/// (with the then-current token) that takes over only what the session had
/// subscribed (`takeOver`), so no other state leaks across connections.
public protocol AppSession: Sendable {
    /// The `--app` name (`socketio`, `graphql-ws`, `graphql-ws-legacy`, `stomp`).
    var name: String { get }

    /// Subprotocols offered before the user's `--subprotocol` values
    /// (`graphql-transport-ws`, `v12.stomp` …); empty when the protocol needs none.
    var subprotocols: [String] { get }

    /// The WebSocket is open: the first messages of the app-level handshake
    /// (graphql's `connection_init`, STOMP's CONNECT), or nothing when the server
    /// speaks first (Engine.IO's open packet).
    mutating func start(now: Double) -> [AppAction]

    /// A data message from the server.
    mutating func receive(_ message: MessagePayload, now: Double) -> [AppAction]

    /// A line from stdin, the REPL or `--send`, in the protocol's terms (docs/reference/behaviour.md:
    /// a JSON array is a Socket.IO event, a GraphQL document a `subscribe` …).
    /// Input that cannot be sent yields `.notice` and nothing on the wire.
    mutating func send(_ line: String, now: Double) -> [AppAction]

    /// When `timerFired` must next be called (keepalives, the server's ping
    /// timeout, an app handshake that must finish in time); nil for never.
    var nextDeadline: Double? { get }
    mutating func timerFired(now: Double) -> [AppAction]

    /// We are leaving cleanly: what goes out before the WebSocket close frame
    /// (Socket.IO's DISCONNECT `41`, STOMP's DISCONNECT with a receipt).
    mutating func finish(now: Double) -> [AppAction]

    /// A REPL command addressed to the protocol (`/subscribe`, `/complete`).
    /// Protocols without operations keep the default, which says so.
    mutating func command(_ command: AppCommand, now: Double) -> [AppAction]

    /// The server closed the WebSocket with `code`: protocols that answer with
    /// close codes (graphql-ws 4401/4403/4408 …) say what the close means for the
    /// session; nil for an ordinary close.
    func closeVerdict(code: UInt16, reason: String) -> AppCloseVerdict?

    /// The connection ended without a close frame (TCP ended, a read failed, the
    /// app's keepalive went unanswered), as `message` says. Protocols whose servers
    /// drop a client whose token expired (MQTT brokers: EMQX, Mosquitto's auth
    /// plugins) describe the drop, and `--reconnect` refreshes before it connects
    /// again; nil for a drop like any socket's.
    func dropCause(_ message: String) -> String?

    /// The answer to an `AppAction.request` (docs/ARCHITECTURE.md "the HTTP step").
    mutating func answered(_ answer: AppHTTPAnswer, now: Double) -> [AppAction]

    /// A reconnect: this connection takes over what the previous one had subscribed,
    /// from the flags and the REPL alike (graphql's running operations, STOMP's and
    /// MQTT's subscriptions, Action Cable's and Pusher's channels), and subscribes it
    /// again in its handshake (docs/protocols.md).
    mutating func takeOver(from previous: any AppSession)
}

extension AppSession {
    public mutating func command(_ command: AppCommand, now: Double) -> [AppAction] {
        [.notice("\(command.name) is not a \(name) command")]
    }

    public func closeVerdict(code: UInt16, reason: String) -> AppCloseVerdict? { nil }

    public func dropCause(_ message: String) -> String? { nil }

    /// Protocols that never ask for a request get no answers.
    public mutating func answered(_ answer: AppHTTPAnswer, now: Double) -> [AppAction] { [] }

    public mutating func takeOver(from previous: any AppSession) {}
}

/// What a server's close means at the application level.
public enum AppCloseVerdict: Sendable, Equatable {
    /// The app refused the credentials (graphql-ws 4401/4403 before `connection_ack`): exit 2.
    case refused(String)
    /// We broke the app's protocol, says the server (graphql-ws 4400/4408/4409/4429): exit 3.
    case protocolError(String)
    /// The close ended the app session as the server's own end would (an MQTT
    /// broker dropping a client without DISCONNECT): exit 6, and with
    /// `--reconnect` refresh and reconnect.
    case ended(String)
}

/// What a server's reasoned end of the app session (`AppAction.serverDisconnected`) means.
public enum AppDisconnectOutcome: Sendable, Equatable {
    /// The credentials were refused (MQTT 0x87, 0x8C): a `rejected` event, exit 2,
    /// and with `--reconnect` refresh and retry.
    case refused
    /// The token's time is up (MQTT 0xA0 Maximum connect time): exit 6, and with
    /// `--reconnect` refresh and reconnect.
    case renew
    /// Any other reason (MQTT 0x8E Session taken over): exit 6 even with
    /// `--reconnect`, as a server close with an ordinary code ends the session.
    case final
}

/// What the REPL asks of the protocol beyond lines of input: operations that
/// have no line form (a STOMP SUBSCRIBE, ending a GraphQL subscription).
public enum AppCommand: Sendable, Equatable {
    /// `/subscribe ARG`: a GraphQL document, a STOMP destination.
    case subscribe(String)
    /// `/complete ID`: end the operation (graphql `complete`/`stop`, STOMP UNSUBSCRIBE).
    case complete(String)

    public var name: String {
        switch self {
        case .subscribe: "/subscribe"
        case .complete: "/complete"
        }
    }
}

/// What an application protocol asks the session to do.
public enum AppAction: Sendable, Equatable {
    /// Put this data message on the WebSocket. `carriesCredential` marks the auth
    /// payload (Socket.IO CONNECT, `connection_init`, STOMP CONNECT) so that its
    /// `sent` event is redacted like `--token-in message`.
    case transmit(MessagePayload, carriesCredential: Bool)
    /// The app-level handshake succeeded: the session is authenticated.
    case accepted(AppHandshake)
    /// The app refused the credentials (Socket.IO CONNECT_ERROR, graphql
    /// `connection_error`, STOMP ERROR before CONNECTED): a `rejected` event with
    /// `app` and `message`, exit 2 — and with `--reconnect`, refresh and retry.
    case rejected(message: String)
    /// An application message for the person, `--expect` and `--count`.
    case deliver(AppMessage)
    /// A keepalive seen (`in`) or answered/sent (`out`): shown as `ping`/`pong` events.
    case keepalive(AppKeepalive)
    /// The server ended the app session on an open socket (Socket.IO `41`, a
    /// STOMP ERROR after CONNECTED, graphql close 4401/4403 is a WebSocket close
    /// and does not come here). Ends like a server close (exit 6), or triggers a
    /// refresh-and-reconnect with `--reconnect`.
    case serverEnded(reason: String)
    /// The server ended the app session with a reason code (MQTT 5.0 DISCONNECT):
    /// our close frame carries `reasonCode` (the code and its name), so the `close`
    /// event says it; `message` is the whole story; `outcome` what it means.
    case serverDisconnected(reasonCode: String, message: String, outcome: AppDisconnectOutcome)
    /// The server refused or ended the app session for a reason that is neither
    /// the credentials nor a broken protocol on its side (MQTT CONNACK 2,
    /// "identifier rejected"): our close goes out, exit 3.
    case protocolError(String)
    /// The peer is silent past the protocol's keepalive deadline: a drop (exit 4,
    /// or reconnect).
    case timedOut(String)
    /// The app-level handshake got no answer within the protocol's bound, where
    /// the protocol's documentation calls that a timeout rather than a drop
    /// (Action Cable: docs/protocols.md): our close goes out, exit 5.
    case unanswered(String)
    /// The peer broke the application protocol: close the WebSocket, exit 3.
    case violation(String)
    /// Ask the driver for an HTTP request; its answer comes back through `answered`.
    case request(AppHTTPRequest)
    /// The server said not to come back (Action Cable's `"reconnect":false`): the
    /// end that follows is final, even with `--reconnect`.
    case noReconnect
    /// A line of narration for people (not a JSON event): an unknown packet
    /// kind shown rather than dropped, input that could not be sent …
    case notice(String)
    /// The protocol is done with this connection (after `finish`, or a receipt
    /// of our DISCONNECT): close the WebSocket with 1000.
    case closeWebSocket
}

/// What the app-level handshake established, for the `handshake` report.
public struct AppHandshake: Sendable, Equatable {
    /// `--app` name.
    public var app: String
    /// Protocol-specific facts worth showing: Socket.IO's `sid` and namespace,
    /// the STOMP version and server, graphql's ack payload …
    public var details: [(name: String, value: String)]

    public init(app: String, details: [(name: String, value: String)]) {
        self.app = app
        self.details = details
    }

    public static func == (lhs: AppHandshake, rhs: AppHandshake) -> Bool {
        lhs.app == rhs.app && lhs.details.map(\.name) == rhs.details.map(\.name)
            && lhs.details.map(\.value) == rhs.details.map(\.value)
    }
}

/// One application-level message received.
public struct AppMessage: Sendable, Equatable {
    /// The text `--expect` matches and pipe mode prints (one line): for Socket.IO
    /// the event array `["name",…]`, for graphql the `next` payload, for STOMP the body.
    public var text: String
    /// A label for people and the JSON event (`event` name, operation id, destination).
    public var label: String?
    /// Extra structured fields for the JSON `message` event (STOMP `headers` …),
    /// as serialized JSON values keyed by field name.
    public var fields: [String: JSONValue]
    /// Whether it counts toward `--count`: an answer to something we sent (a
    /// Socket.IO ACK) is not a message the server sent of its own accord.
    public var counts: Bool
    /// A payload that is not text (an MQTT PUBLISH of raw bytes): shown and
    /// printed as binary; `text` then says what it is for people.
    public var bytes: [UInt8]?

    public init(
        text: String,
        label: String? = nil,
        fields: [String: JSONValue] = [:],
        counts: Bool = true,
        bytes: [UInt8]? = nil
    ) {
        self.text = text
        self.label = label
        self.fields = fields
        self.counts = counts
        self.bytes = bytes
    }
}

/// A keepalive at the application level (Engine.IO `2`/`3`, graphql `ping`/`pong`
/// and `ka`, STOMP heart-beats).
public struct AppKeepalive: Sendable, Equatable {
    public enum Kind: String, Sendable { case ping, pong }
    public var kind: Kind
    public var direction: ControlFrameReport.Direction
    public var data: String

    public init(_ kind: Kind, _ direction: ControlFrameReport.Direction, data: String = "") {
        self.kind = kind
        self.direction = direction
        self.data = data
    }
}
