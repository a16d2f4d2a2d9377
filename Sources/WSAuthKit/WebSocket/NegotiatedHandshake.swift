/// What the server agreed to in a valid handshake answer.
public struct NegotiatedHandshake: Sendable, Equatable {
    /// The one subprotocol the server selected, if any (RFC 6455 §4.2.2).
    public var subprotocol: String?
    /// The extensions the server accepted, in its order, each with its parameters as sent
    /// (e.g. "permessage-deflate; server_no_context_takeover").
    public var extensions: [String]
    /// permessage-deflate's parameters when the server accepted it (RFC 7692 §7.1).
    public var deflate: DeflateParameters?

    public init(subprotocol: String?, extensions: [String], deflate: DeflateParameters? = nil) {
        self.subprotocol = subprotocol
        self.extensions = extensions
        self.deflate = deflate
    }
}
