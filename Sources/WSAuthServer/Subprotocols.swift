import HTTPTypes
import Hummingbird

/// Subprotocol negotiation (RFC 6455 §4.2.2 step 5.4, §11.3.4): the server selects at
/// most one of the client's offers, and only one it actually speaks. A credential
/// carried as a protocol is never selected: echoing it would put the token in the
/// response too.
enum Subprotocols {
    /// The protocols this server speaks on `/ws`: plain echo.
    static let supported = ["echo.v1"]

    /// Every offered name, from every `Sec-WebSocket-Protocol` line, in order.
    static func offered(in headers: HTTPFields) -> [String] {
        headers[values: .secWebSocketProtocol].flatMap { line in
            line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    static func select(from headers: HTTPFields) -> String? {
        offered(in: headers).first { supported.contains($0) }
    }
}
