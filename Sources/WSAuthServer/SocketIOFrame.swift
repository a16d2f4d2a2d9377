#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One text frame of Engine.IO v4 carrying, when its type is `4` (message), one
/// Socket.IO v5 packet: `<type>[/namespace,][ackId][JSON]`. Written from the
/// protocol documents (socket.io-protocol v5, engine.io-protocol v4), apart from
/// the client codec in WSAuthKit so the two cannot agree on a shared mistake.
enum SocketIOFrame {
    case ping, pong, close
    case connect(namespace: String, token: String?)
    case disconnect(namespace: String)
    case event(namespace: String, ackID: Int?, arguments: [JSONValue])
    case other

    init(_ text: String) {
        var rest = Substring(text)
        switch rest.popFirst() {
        case "1": self = .close
        case "2": self = .ping
        case "3": self = .pong
        case "4": self = Self.socketIO(rest)
        default: self = .other
        }
    }

    private static func socketIO(_ packet: Substring) -> SocketIOFrame {
        var rest = packet
        let type = rest.popFirst()
        var namespace = "/"
        if rest.first == "/" {
            let end = rest.firstIndex(of: ",") ?? rest.endIndex
            namespace = String(rest[..<end])
            rest = end == rest.endIndex ? "" : rest[rest.index(after: end)...]
        }
        let digits = rest.prefix(while: \.isNumber)
        rest = rest.dropFirst(digits.count)
        let json = rest.isEmpty ? nil : JSONValue.parse(rest)
        switch type {
        case "0":
            guard case .object(let auth)? = json, case .string(let token)? = auth["token"] else {
                return .connect(namespace: namespace, token: nil)
            }
            return .connect(namespace: namespace, token: token)
        case "1":
            return .disconnect(namespace: namespace)
        case "2":
            guard case .array(let arguments)? = json, case .string? = arguments.first else { return .other }
            return .event(namespace: namespace, ackID: Int(digits), arguments: arguments)
        default:
            return .other
        }
    }

    /// `42[...]`, `43<id>[...]`, `40{...}`, `44{...}`: what the server sends.
    static func encode(_ prefix: String, _ namespace: String, _ payload: JSONValue) -> String {
        let nsp = namespace == "/" || prefix.count < 2 ? "" : namespace + ","
        return prefix.prefix(2) + nsp + prefix.dropFirst(2) + payload.text
    }
}
