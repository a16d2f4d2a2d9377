/// graphql-transport-ws (the `graphql-ws` library's protocol, subprotocol
/// `graphql-transport-ws`) as an `ApplicationProtocol` (cli.md "Application
/// protocols", `graphql-ws`).
///
/// We speak first: `connection_init` with the auth payload; the server answers
/// `connection_ack`, or closes with 4401/4403 (auth) or 4408 (init too late).
/// `ping` is answered with `pong`; a line that is a JSON object goes out as is,
/// any other line is a GraphQL document sent as `subscribe` with a fresh id;
/// `next` payloads are delivered, `error` reported, `complete` ends the operation.
public struct GraphQLWSProtocol: ApplicationProtocol {
    public static let defaultAuthTemplate = #"{"Authorization":"Bearer {token}"}"#

    public let name = "graphql-ws"
    public let subprotocols = ["graphql-transport-ws"]

    /// The filled `connection_init` payload (a JSON object), nil to send none.
    let payload: String?
    let handshakeTimeout: Double
    var acknowledged = false
    var ended = false
    var handshakeDeadline: Double?
    var nextID = 1

    /// `authTemplate` is `--auth-message` (`{token}` replaced by the token,
    /// JSON-escaped); without a token a template needing one sends no payload.
    public init(authTemplate: String? = nil, token: Secret?, handshakeTimeout: Double = 10) {
        let template = authTemplate ?? GraphQLWSProtocol.defaultAuthTemplate
        if let token {
            payload = TokenPresentation.fillJSON(template, token: token.reveal())
        } else {
            payload = template.contains("{token}") ? nil : template
        }
        self.handshakeTimeout = handshakeTimeout
    }

    public var nextDeadline: Double? { ended || acknowledged ? nil : handshakeDeadline }

    public mutating func start(now: Double) -> [AppAction] {
        handshakeDeadline = now + handshakeTimeout
        let body = payload.map { #"{"type":"connection_init","payload":\#($0)}"# } ?? #"{"type":"connection_init"}"#
        return [.transmit(.text(body), carriesCredential: payload != nil)]
    }

    public mutating func timerFired(now: Double) -> [AppAction] {
        guard !ended, !acknowledged, let deadline = handshakeDeadline, now >= deadline else { return [] }
        ended = true
        return [.timedOut("no connection_ack within \(JSONValue.format(number: handshakeTimeout)) s")]
    }

    public mutating func receive(_ message: MessagePayload, now: Double) -> [AppAction] {
        guard case .text(let text) = message, let json = try? JSONValue.parse(text),
              let type = json["type"]?.stringValue else {
            return [.violation("graphql-transport-ws: a message that is not a JSON object with a type")]
        }
        let id = json["id"]?.stringValue
        switch type {
        case "connection_ack":
            guard !acknowledged else { return [.violation("graphql-transport-ws: a second connection_ack")] }
            acknowledged = true
            let details = json["payload"].map { [("payload", $0.serialized())] } ?? []
            return [.accepted(AppHandshake(app: name, details: details))]
        case "ping":
            return [.keepalive(AppKeepalive(.ping, .in)), .transmit(.text(#"{"type":"pong"}"#), carriesCredential: false),
                    .keepalive(AppKeepalive(.pong, .out))]
        case "pong":
            return [.keepalive(AppKeepalive(.pong, .in))]
        case "next":
            return [.deliver(AppMessage(text: (json["payload"] ?? .null).serialized(), label: id))]
        case "error":
            return [.notice("operation \(id ?? "?") error: \((json["payload"] ?? .null).serialized())")]
        case "complete":
            return [.notice("operation \(id ?? "?") complete")]
        default:
            return [.notice("graphql-transport-ws: unknown message type '\(type)'")]
        }
    }

    public mutating func send(_ line: String, now: Double) -> [AppAction] {
        if case .object? = try? JSONValue.parse(line) {
            return [.transmit(.text(line), carriesCredential: false)]
        }
        let id = String(nextID)
        nextID += 1
        let body = JSONValue.object([
            ("id", .string(id)), ("type", .string("subscribe")),
            ("payload", .object([("query", .string(line))])),
        ])
        return [.transmit(.text(body.serialized()), carriesCredential: false)]
    }

    public mutating func finish(now: Double) -> [AppAction] {
        ended = true
        return [.closeWebSocket]
    }
}
