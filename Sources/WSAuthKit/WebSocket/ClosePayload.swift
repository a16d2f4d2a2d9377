/// The body of a close frame: an optional 2-byte code and a UTF-8 reason (RFC 6455 §5.5.1).
struct ClosePayload: Equatable {
    var code: CloseCode?
    var reason: String

    /// A code and reason must fit a control frame: 125 bytes, 2 of them the code.
    static let maxReasonBytes = Frame.maxControlPayload - 2

    /// Reads a received close body, enforcing what the receiver must check: no 1-byte
    /// body, a code valid on the wire (RFC 6455 §7.4), a UTF-8 reason (§5.5.1).
    init(parsing payload: [UInt8]) throws(ProtocolViolation) {
        guard !payload.isEmpty else {
            self.init(code: nil, reason: "")
            return
        }
        guard payload.count >= 2 else { throw .closePayloadTooShort }
        let code = CloseCode(UInt16(payload[0]) << 8 | UInt16(payload[1]))
        guard code.isSendable else { throw .invalidCloseCode(code.rawValue) }
        let reason = payload[2...]
        var validator = UTF8Validator()
        guard validator.feed(reason), validator.isAtBoundary else { throw .invalidUTF8InCloseReason }
        self.init(code: code, reason: String(decoding: reason, as: UTF8.self))
    }

    init(code: CloseCode?, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The wire form. Without a code there is no room for a reason (§5.5.1); a reason
    /// too long for a control frame is cut at the last whole character that fits.
    var encoded: [UInt8] {
        guard let code else { return [] }
        var bytes = [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)]
        var reasonBytes = 0
        for character in reason {
            let size = character.utf8.count
            guard reasonBytes + size <= Self.maxReasonBytes else { break }
            bytes.append(contentsOf: character.utf8)
            reasonBytes += size
        }
        return bytes
    }
}
