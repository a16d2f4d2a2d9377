/// The frame opcodes RFC 6455 §5.2 defines; 3–7 and 11–15 are reserved and make a frame
/// a protocol violation when no extension gave them a meaning.
public enum Opcode: UInt8, Sendable, CustomStringConvertible {
    case continuation = 0
    case text = 1
    case binary = 2
    case close = 8
    case ping = 9
    case pong = 10

    /// Control frames have the high bit of the opcode set (RFC 6455 §5.5).
    public var isControl: Bool { rawValue & 0x8 != 0 }

    public var description: String {
        switch self {
        case .continuation: "continuation"
        case .text: "text"
        case .binary: "binary"
        case .close: "close"
        case .ping: "ping"
        case .pong: "pong"
        }
    }
}
