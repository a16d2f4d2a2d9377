/// A close we are asked to send (`--close CODE[:REASON]`, the REPL's `/close CODE REASON`):
/// the one check of both, so that the flag and the command never disagree.
public struct CloseRequest: Sendable, Equatable {
    public let code: CloseCode
    public let reason: String

    /// Why a close cannot be sent as asked.
    public enum Problem: Error, Equatable {
        /// Not a number, or a code an endpoint may not send (RFC 6455 §7.4.1, §7.4.2).
        case unsendableCode
        /// Over the 123 bytes a control frame leaves after the code (RFC 6455 §5.5).
        case reasonTooLong
    }

    /// The codes a client may send, to follow "a code of".
    public static let sendableCodes = "1000–1003, 1007–1014 or 3000–4999"

    public init(code text: some StringProtocol, reason: String) throws(Problem) {
        guard let raw = UInt16(text), CloseCode(rawValue: raw).isSendable else { throw .unsendableCode }
        guard reason.utf8.count <= 123 else { throw .reasonTooLong }
        code = CloseCode(rawValue: raw)
        self.reason = reason
    }
}
