/// The status code of a close frame (RFC 6455 §7.4), with what it means: the IANA
/// registry (1000–1015, 3000–3999) plus the application conventions that real servers use
/// in the private range (4000–4999) to say "your credentials are no good".
public struct CloseCode: RawRepresentable, Hashable, Sendable, Comparable,
    ExpressibleByIntegerLiteral, CustomStringConvertible
{
    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt16) { self.rawValue = value }

    public static let normalClosure: CloseCode = 1000
    public static let goingAway: CloseCode = 1001
    public static let protocolError: CloseCode = 1002
    public static let unsupportedData: CloseCode = 1003
    public static let noStatusReceived: CloseCode = 1005
    public static let abnormalClosure: CloseCode = 1006
    public static let invalidPayload: CloseCode = 1007
    public static let policyViolation: CloseCode = 1008
    public static let messageTooBig: CloseCode = 1009
    public static let mandatoryExtension: CloseCode = 1010
    public static let internalError: CloseCode = 1011
    public static let serviceRestart: CloseCode = 1012
    public static let tryAgainLater: CloseCode = 1013
    public static let badGateway: CloseCode = 1014
    public static let tlsHandshake: CloseCode = 1015

    /// The codes that, by default, mean "the credentials were refused or have expired":
    /// the common ad-hoc 4001/4003, graphql-ws's 4401/4403, and 1008 (policy violation),
    /// which servers without custom codes use for the same thing.
    public static let defaultAuthCodes: Set<CloseCode> = [4001, 4003, 4401, 4403, 1008]

    /// Whether an endpoint may put this code in a close frame: RFC 6455 §7.4.1 and
    /// §7.4.2 with the IANA registry's later additions (1012–1014). 1004 is reserved,
    /// 1005/1006/1015 exist only to report the absence of a code or a TLS failure locally,
    /// and everything below 3000 that is not registered is reserved.
    public var isSendable: Bool {
        switch rawValue {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    /// A short name, e.g. "normal closure" or "unauthorized".
    public var name: String { Self.entries[rawValue]?.name ?? rangeDescription.name }

    /// One sentence on what the code means and who uses it.
    public var meaning: String { Self.entries[rawValue]?.meaning ?? rangeDescription.meaning }

    /// Every code with a specific explanation, in ascending order.
    public static let catalogue: [CloseCode] = entries.keys.sorted().map(CloseCode.init(rawValue:))

    public var description: String { String(rawValue) }

    public static func < (lhs: CloseCode, rhs: CloseCode) -> Bool { lhs.rawValue < rhs.rawValue }

    /// What can be said about a code from its range alone (RFC 6455 §7.4.2).
    private var rangeDescription: (name: String, meaning: String) {
        switch rawValue {
        case 0...999:
            ("invalid", "Codes below 1000 are not used (RFC 6455 §7.4.2); invalid on the wire.")
        case 1000...2999:
            (
                "reserved",
                "Reserved for RFC 6455 and its extensions (RFC 6455 §7.4.2); unassigned, so invalid on the wire."
            )
        case 3000...3999:
            ("library or framework code", "Registered with IANA for libraries and frameworks (RFC 6455 §7.4.2).")
        case 4000...4999:
            ("private use", "Private use: application-defined (RFC 6455 §7.4.2).")
        default:
            ("invalid", "Codes above 4999 are outside the range RFC 6455 §7.4 defines; invalid on the wire.")
        }
    }

    private static let entries: [UInt16: (name: String, meaning: String)] = [
        1000: ("normal closure", "The purpose of the connection was fulfilled and it was closed normally."),
        1001: ("going away", "The endpoint is going away: a server shutting down or a browser leaving the page."),
        1002: ("protocol error", "The endpoint received something that breaks the WebSocket protocol."),
        1003: (
            "unsupported data",
            "The endpoint received a type of data it cannot accept, e.g. binary where only text is understood."
        ),
        1004: ("reserved", "Reserved by RFC 6455 for a future meaning; invalid on the wire."),
        1005: ("no status received", "The close frame carried no status code; reported locally, never sent."),
        1006: ("abnormal closure", "The connection dropped without a close frame; reported locally, never sent."),
        1007: (
            "invalid payload data",
            "The endpoint received data inconsistent with the message type, e.g. a text message that is not UTF-8."
        ),
        1008: (
            "policy violation",
            "The endpoint received a message that violates its policy; many servers use it to reject credentials."
        ),
        1009: ("message too big", "The endpoint received a message too big to process."),
        1010: ("mandatory extension", "The client needed an extension that the server did not negotiate."),
        1011: ("internal error", "The server hit an unexpected condition that kept it from fulfilling the request."),
        1012: ("service restart", "The server is restarting; reconnect later."),
        1013: ("try again later", "The server is overloaded or rate-limiting; reconnect later."),
        1014: ("bad gateway", "A gateway or proxy received an invalid response from the upstream server."),
        1015: ("TLS handshake failure", "The TLS handshake failed; reported locally, never sent."),
        3000: ("unauthorized", "Registered with IANA: the endpoint is not authorized, like HTTP 401."),
        3003: ("forbidden", "Registered with IANA: the endpoint is authenticated but not allowed, like HTTP 403."),
        3008: ("timeout", "Registered with IANA: the request timed out, like HTTP 408."),
        4001: (
            "unauthorized / token expired",
            "Common application convention: the token was missing, invalid or expired; refresh it and reconnect."
        ),
        4003: (
            "forbidden / session revoked",
            "Common application convention: the credentials are valid but not allowed, or the session was revoked."
        ),
        4004: (
            "authentication failed",
            "Discord gateway: the token sent with IDENTIFY was invalid; do not reconnect with it."
        ),
        4009: ("session timed out", "Discord gateway: the session timed out; reconnect and start a new session."),
        4400: ("bad request", "graphql-ws: the server received a message it could not understand."),
        4401: (
            "unauthorized",
            "graphql-ws: the client subscribed before the server acknowledged connection_init; many servers also use it for rejected credentials."
        ),
        4403: ("forbidden", "graphql-ws: the server refused the connection_init, typically its credentials."),
        4406: ("subprotocol not acceptable", "graphql-ws: the client did not offer a subprotocol the server speaks."),
        4408: ("connection initialisation timeout", "graphql-ws: the client did not send connection_init in time."),
        4409: ("subscriber already exists", "graphql-ws: the client reused the id of a running subscription."),
        4429: ("too many initialisation requests", "graphql-ws: the client sent connection_init more than once."),
        4499: ("terminated", "graphql-ws: the client terminated the connection without a close handshake."),
        4500: ("internal error", "graphql-ws: the server failed while handling a message."),
    ]
}
