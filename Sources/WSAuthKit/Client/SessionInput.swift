#if canImport(Glibc)
import Glibc
#endif

/// What the person or the pipe on stdin asks the session to do.
public enum InputAction: Sendable, Equatable {
    case send(MessagePayload)
    case ping([UInt8])
    case pong([UInt8])
    /// A command for the `--app` protocol (`/subscribe`, `/complete`).
    case app(AppCommand)
    /// Close now (nil code: the script's `--close`, else 1000).
    case close(code: CloseCode?, reason: String)
    /// Refresh the token now and reconnect with it (`/refresh`).
    case refreshAndReconnect
    /// Reconnect with the token in use (`/reconnect`).
    case reconnect
    /// No more input will come: pipe mode's end of stdin.
    case endOfInput
}

extension MessagePayload: Equatable {
    public static func == (lhs: MessagePayload, rhs: MessagePayload) -> Bool {
        switch (lhs, rhs) {
        case let (.text(a), .text(b)): a == b
        case let (.binary(a), .binary(b)): a == b
        default: false
        }
    }
}

/// A source of input the event loop polls beside the socket: pipe-mode stdin or the REPL.
public protocol SessionInput: AnyObject {
    /// The descriptor to poll, nil once input has ended.
    var fileDescriptor: Int32? { get }
    /// Called when the descriptor is readable.
    func readAvailable() -> [InputAction]
    /// How often the loop should call `tick` (the REPL's live prompt), nil for never.
    var tickInterval: Double? { get }
    func tick()
    /// Called when a connection ended, a handshake was refused, or connecting
    /// failed (`failure`, not yet reported), and `--reconnect` will not retry:
    /// the REPL lets the person choose `/refresh` or `/reconnect` (an action) or
    /// to leave (nil).
    func nextConnection(after failure: Failure?) -> InputAction?
}

extension SessionInput {
    /// Pipe mode: the session ends with the connection.
    public func nextConnection(after failure: Failure?) -> InputAction? { nil }
}

/// Pipe mode: each stdin line is a text message (a trailing CR is dropped).
public final class LineInput: SessionInput {
    private var buffer: [UInt8] = []
    private var open = true
    private let fd: Int32

    public init(fd: Int32 = STDIN_FILENO) {
        self.fd = fd
    }

    public var fileDescriptor: Int32? { open ? fd : nil }
    public var tickInterval: Double? { nil }
    public func tick() {}

    public func readAvailable() -> [InputAction] {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR || errno == EAGAIN { return [] }
        var actions: [InputAction] = []
        if count <= 0 {
            open = false
            if !buffer.isEmpty { actions.append(line(buffer)) }
            buffer = []
            actions.append(.endOfInput)
            return actions
        }
        buffer.append(contentsOf: chunk[0..<count])
        var start = 0
        while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
            actions.append(line(Array(buffer[start..<newline])))
            start = newline + 1
        }
        buffer.removeSubrange(0..<start)
        return actions
    }

    private func line(_ bytes: [UInt8]) -> InputAction {
        var bytes = bytes
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return .send(.text(String(decoding: bytes, as: UTF8.self)))
    }
}
