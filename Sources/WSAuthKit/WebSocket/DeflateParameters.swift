/// What client and server agreed for permessage-deflate (RFC 7692 §7.1), read from the
/// server's answer and checked against the client's offer.
public struct DeflateParameters: Equatable, Sendable {
    /// The server resets its compression context after each message (RFC 7692 §7.1.1.1).
    public var serverNoContextTakeover = false
    /// The client must reset its compression context after each message (RFC 7692 §7.1.1.2).
    public var clientNoContextTakeover = false
    /// The server's LZ77 window, 8–15; nil when it did not say (then up to 15).
    public var serverMaxWindowBits: Int?
    /// The window the client may use, 8–15; nil when the server did not limit it.
    public var clientMaxWindowBits: Int?

    public static let extensionName = "permessage-deflate"

    /// What `--compress` offers: permessage-deflate, and that the server may limit our
    /// window (RFC 7692 §7.1.2.2), which costs nothing since we can honour any size.
    public static let offer = "permessage-deflate; client_max_window_bits"

    public init(
        serverNoContextTakeover: Bool = false,
        clientNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int? = nil,
        clientMaxWindowBits: Int? = nil
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// Reads the server's acceptance by the client's rules of RFC 7692 §7.1: every
    /// parameter known, none twice, every value valid, and `client_max_window_bits`
    /// only in answer to an offer that had it. `offers` are the permessage-deflate
    /// elements the client sent (it may send several, the server picks one).
    init(accepting response: ExtensionElement, offers: [ExtensionElement]) throws(DeflateNegotiationError) {
        self.init()
        var seen = Set<String>()
        for parameter in response.parameters {
            guard seen.insert(parameter.name).inserted else { throw .duplicateParameter(parameter.name) }
            switch parameter.name {
            case "server_no_context_takeover":
                serverNoContextTakeover = try Self.flag(parameter)
            case "client_no_context_takeover":
                // A server may ask this even when the client did not (RFC 7692 §7.1.1.2).
                clientNoContextTakeover = try Self.flag(parameter)
            case "server_max_window_bits":
                // Allowed whether or not the client offered it (RFC 7692 §7.1.2.1).
                serverMaxWindowBits = try Self.windowBits(parameter)
            case "client_max_window_bits":
                let offered = offers.contains { $0.parameters.contains { $0.name == "client_max_window_bits" } }
                guard offered else { throw .unofferedClientMaxWindowBits }
                clientMaxWindowBits = try Self.windowBits(parameter)
            default:
                throw .unknownParameter(parameter.name)
            }
        }
    }

    private static func flag(_ parameter: ExtensionElement.Parameter) throws(DeflateNegotiationError) -> Bool {
        if let value = parameter.value { throw .unexpectedValue(parameter: parameter.name, value: value) }
        return true
    }

    /// 8 to 15 written without leading zeros: `%x38-39 / "1" %x30-35` (RFC 7692 §7.1.2).
    private static func windowBits(_ parameter: ExtensionElement.Parameter) throws(DeflateNegotiationError) -> Int {
        guard let value = parameter.value, let bits = Int(value), (8...15).contains(bits), String(bits) == value else {
            throw .invalidWindowBits(parameter: parameter.name, value: parameter.value)
        }
        return bits
    }
}
