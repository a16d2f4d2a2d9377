/// Why an opening handshake failed (RFC 6455 §4.1: the client must fail the connection).
public enum HandshakeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The answer is not an HTTP/1.x response head; the text says where it broke.
    case malformedResponse(String)
    /// No end of the head within this many bytes.
    case headTooLarge(Int)
    case notSwitchingProtocols(status: Int)
    /// `found` is the Upgrade header as received, nil when absent.
    case missingUpgradeHeader(found: String?)
    /// `found` is the Connection header as received, nil when absent.
    case missingConnectionUpgrade(found: String?)
    case acceptMismatch(expected: String, received: String?)
    /// The server selected a subprotocol the client did not offer, or several at once
    /// (then the value holds them comma-joined).
    case unrequestedSubprotocol(String)
    case unrequestedExtension(String)
    /// The server accepted permessage-deflate (the element as sent) in a way the client
    /// cannot use (RFC 7692 §7.1).
    case invalidDeflateResponse(String, DeflateNegotiationError)

    public var description: String {
        switch self {
        case let .malformedResponse(detail):
            "malformed HTTP response: \(detail)"
        case let .headTooLarge(limit):
            "response head did not end within \(limit) bytes"
        case let .notSwitchingProtocols(status):
            "server answered HTTP \(status) instead of 101 Switching Protocols"
        case let .missingUpgradeHeader(found):
            "response lacks 'Upgrade: websocket' (\(Self.describe(found)))"
        case let .missingConnectionUpgrade(found):
            "response lacks 'Connection: Upgrade' (\(Self.describe(found)))"
        case let .acceptMismatch(expected, received?):
            "Sec-WebSocket-Accept is \"\(received)\", expected \"\(expected)\""
        case let .acceptMismatch(expected, nil):
            "response lacks Sec-WebSocket-Accept (expected \"\(expected)\")"
        case let .unrequestedSubprotocol(value) where CommaList.split(value).count > 1:
            "server selected several subprotocols (\"\(value)\") where one is allowed"
        case let .unrequestedSubprotocol(value):
            "server selected subprotocol \"\(value)\", which the client did not offer"
        case let .unrequestedExtension(value):
            "server selected extension \"\(value)\", which the client did not offer"
        case let .invalidDeflateResponse(value, problem):
            "server accepted permessage-deflate as \"\(value)\": \(problem)"
        }
    }

    private static func describe(_ found: String?) -> String {
        found.map { "found \"\($0)\"" } ?? "header absent"
    }
}
