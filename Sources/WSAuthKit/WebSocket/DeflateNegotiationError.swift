/// Why the server's acceptance of permessage-deflate cannot be used. Each one makes the
/// client fail the connection (RFC 7692 §7.1): the two ends would not agree on how
/// messages are compressed.
public enum DeflateNegotiationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not the extension grammar of RFC 6455 §9.1.
    case malformed
    /// A parameter RFC 7692 does not define for a response.
    case unknownParameter(String)
    /// The same parameter twice (RFC 7692 §7.1).
    case duplicateParameter(String)
    /// A `*_no_context_takeover` parameter with a value; it takes none (RFC 7692 §7.1.1).
    case unexpectedValue(parameter: String, value: String)
    /// A `*_max_window_bits` in a response needs a value from 8 to 15 (RFC 7692 §7.1.2);
    /// `value` is nil when there was none.
    case invalidWindowBits(parameter: String, value: String?)
    /// `client_max_window_bits` answers an offer that did not carry it (RFC 7692 §7.1.2.2).
    case unofferedClientMaxWindowBits
    /// permessage-deflate accepted more than once: both would claim RSV1 (RFC 7692 §6).
    case acceptedTwice

    public var description: String {
        switch self {
        case .malformed:
            "not a valid extension element (RFC 6455 §9.1)"
        case let .unknownParameter(name):
            "unknown parameter \"\(name)\" (RFC 7692 §7.1)"
        case let .duplicateParameter(name):
            "parameter \"\(name)\" given twice (RFC 7692 §7.1)"
        case let .unexpectedValue(name, value):
            "\(name) takes no value, got \"\(value)\" (RFC 7692 §7.1.1)"
        case let .invalidWindowBits(name, value?):
            "\(name)=\(value) is not a window size from 8 to 15 (RFC 7692 §7.1.2)"
        case let .invalidWindowBits(name, nil):
            "\(name) needs a value from 8 to 15 in a response (RFC 7692 §7.1.2)"
        case .unofferedClientMaxWindowBits:
            "client_max_window_bits was not offered, so the server may not set it (RFC 7692 §7.1.2.2)"
        case .acceptedTwice:
            "accepted more than once (RFC 7692 §6)"
        }
    }
}
