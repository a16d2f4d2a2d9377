/// Something the peer sent that RFC 6455 forbids. Each one fails the connection
/// (RFC 6455 §7.1.7) and is answered with the close code that names it.
public enum ProtocolViolation: Error, Equatable, Sendable, CustomStringConvertible {
    /// RSV1–3 must be 0 unless an extension gives them a meaning (RFC 6455 §5.2).
    case reservedBitsSet(rsv1: Bool, rsv2: Bool, rsv3: Bool)
    /// Opcodes 3–7 and 11–15 are reserved (RFC 6455 §5.2).
    case unknownOpcode(UInt8)
    /// A server must not mask what it sends (RFC 6455 §5.1).
    case maskedFrameFromServer
    /// A client must mask everything it sends (RFC 6455 §5.1).
    case unmaskedFrameFromClient
    /// Control frames must not be fragmented (RFC 6455 §5.5).
    case fragmentedControlFrame(Opcode)
    /// Control frames carry at most 125 bytes (RFC 6455 §5.5).
    case controlFrameTooLong(Opcode, length: UInt64)
    /// A continuation frame needs a started, unfinished message (RFC 6455 §5.4).
    case continuationWithoutStart
    /// Fragments of one message must not interleave with another data message (RFC 6455 §5.4).
    case dataFrameInsideFragmentedMessage(Opcode)
    /// Text messages must be UTF-8 (RFC 6455 §5.6, §8.1).
    case invalidUTF8InText
    /// A close reason must be UTF-8 (RFC 6455 §5.5.1).
    case invalidUTF8InCloseReason
    /// Close codes outside those RFC 6455 §7.4 allows on the wire.
    case invalidCloseCode(UInt16)
    /// A close body, when present, starts with a 2-byte code (RFC 6455 §5.5.1).
    case closePayloadTooShort
    /// A message (or a single frame of it) over the configured limit; `size` is how far
    /// it had got when refused, so the message was at least that long.
    case messageTooBig(size: UInt64, limit: Int)
    /// The most significant bit of a 64-bit payload length must be 0 (RFC 6455 §5.2).
    case lengthTopBitSet
    /// RSV1 ("compressed") on a control or continuation frame: with permessage-deflate only
    /// the first frame of a data message may carry it (RFC 7692 §6).
    case misplacedCompressionBit(Opcode)
    /// A compressed message that is not valid DEFLATE data (RFC 7692 §7.2.2); the text is
    /// zlib's.
    case invalidCompressedData(String)

    /// The close code to fail the connection with (RFC 6455 §7.4.1).
    public var closeCode: CloseCode {
        switch self {
        case .invalidUTF8InText, .invalidUTF8InCloseReason: .invalidPayload
        case .messageTooBig: .messageTooBig
        default: .protocolError
        }
    }

    public var description: String {
        switch self {
        case let .reservedBitsSet(rsv1, rsv2, rsv3):
            let names = [(rsv1, "RSV1"), (rsv2, "RSV2"), (rsv3, "RSV3")].filter(\.0).map(\.1)
            let noun = names.count == 1 ? "reserved bit" : "reserved bits"
            return
                "peer sent a frame with \(noun) \(names.joined(separator: ", ")) set (no negotiated extension uses it)"
        case let .unknownOpcode(code):
            return "peer sent a frame with unknown opcode \(code)"
        case .maskedFrameFromServer:
            return "server sent a masked frame (servers must not mask)"
        case .unmaskedFrameFromClient:
            return "client sent an unmasked frame (clients must mask every frame)"
        case let .fragmentedControlFrame(opcode):
            return "peer sent a fragmented \(opcode) frame (control frames cannot be fragmented)"
        case let .controlFrameTooLong(opcode, length):
            return "peer sent a \(opcode) frame of \(length) bytes (control frames carry at most 125)"
        case .continuationWithoutStart:
            return "peer sent a continuation frame with no message to continue"
        case let .dataFrameInsideFragmentedMessage(opcode):
            return "peer started a \(opcode) message before finishing its fragmented one"
        case .invalidUTF8InText:
            return "peer sent a text message that is not valid UTF-8"
        case .invalidUTF8InCloseReason:
            return "peer sent a close reason that is not valid UTF-8"
        case let .invalidCloseCode(code):
            return "peer sent close code \(code), which is not allowed on the wire"
        case .closePayloadTooShort:
            return "peer sent a close frame with a 1-byte payload (a close code takes 2)"
        case let .messageTooBig(size, limit):
            return "peer sent a message of at least \(size) bytes, over the \(limit)-byte limit"
        case .lengthTopBitSet:
            return "peer sent a frame whose 64-bit length has the top bit set"
        case let .misplacedCompressionBit(opcode):
            return "peer set RSV1 (compressed) on a \(opcode) frame; only a message's first frame may carry it"
        case let .invalidCompressedData(detail):
            return "peer sent a compressed message that does not inflate (\(detail))"
        }
    }
}
