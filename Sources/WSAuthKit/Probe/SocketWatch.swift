#if canImport(Glibc)
import Glibc
#endif

/// Keeps an open socket idle and reads it until the server closes it or a deadline
/// passes, answering pings and echoing the close (RFC 6455 §5.5.2, §5.5.1): what the
/// audit needs to see whether a server drops a socket whose credentials are bad or dead.
final class SocketWatch {
    enum Ending: Equatable {
        /// The server closed (a close frame, or TCP without one: code 1006) at `time`.
        case closed(code: UInt16, reason: String, time: Timestamp)
        case stillOpen
    }

    private let socket: OpenSocket
    private var buffer = [UInt8](repeating: 0, count: 16 * 1024)
    private var ending: Ending?
    /// Data messages read and not yet taken by `nextMessage`.
    private var messages: [MessagePayload] = []

    init(_ socket: OpenSocket) {
        self.socket = socket
        if !socket.pendingInput.isEmpty {
            let early = socket.pendingInput
            socket.pendingInput = []
            handle(socket.connection.receive(early))
        }
    }

    /// The server's close, once it came (for `audit --app`: graphql-ws refuses with 4403).
    var serverClose: (code: UInt16, reason: String)? {
        if case .closed(let code, let reason, _)? = ending { return (code, reason) }
        return nil
    }

    func send(text: String) {
        socket.connection.sendText(text)
    }

    func send(binary: [UInt8]) {
        socket.connection.sendBinary(binary)
    }

    /// A keepalive (`doctor --idle` with `--ping-interval`); the pong is read like any frame.
    func ping() {
        socket.connection.sendPing()
    }

    func wait(until deadline: Deadline, stopForMessages: Bool = false) -> Ending {
        while ending == nil, !(stopForMessages && !messages.isEmpty) {
            flush()
            guard ending == nil else { break }
            let result: CurlStream.ReadResult
            do {
                result = try socket.stream.read(into: &buffer)
            } catch {
                ending = .closed(code: CloseCode.abnormalClosure.rawValue, reason: error.message, time: Timestamp.now)
                break
            }
            switch result {
            case .data(let count):
                handle(socket.connection.receive(Array(buffer[0..<count])))
            case .closed:
                ending = .closed(code: CloseCode.abnormalClosure.rawValue, reason: "", time: Timestamp.now)
            case .wouldBlock:
                let readable =
                    (try? Poller.wait(fd: socket.stream.socket, events: Int16(POLLIN), deadline: deadline)) ?? false
                if !readable { return .stillOpen }
            }
        }
        flush()
        return ending ?? .stillOpen
    }

    /// The next data message, or nil when the server closed or the deadline passed.
    func nextMessage(until deadline: Deadline) -> MessagePayload? {
        while messages.isEmpty, ending == nil {
            if case .stillOpen = wait(until: deadline, stopForMessages: true), messages.isEmpty { return nil }
        }
        return messages.isEmpty ? nil : messages.removeFirst()
    }

    /// Our side of the closing handshake: 1000, and a short wait for the answer so
    /// that the server sees a clean close rather than a reset.
    func closeNormally() {
        guard ending == nil, socket.connection.state == .open else { return }
        socket.connection.close(code: .normalClosure)
        let deadline = Deadline.after(seconds: 2)
        while ending == nil, socket.connection.state != .closed, !deadline.hasPassed {
            if case .stillOpen = wait(until: deadline) { break }
        }
    }

    private func handle(_ events: [ConnectionEvent]) {
        for event in events {
            if case .closeReceived(let code, let reason) = event, ending == nil {
                ending = .closed(
                    code: code?.rawValue ?? CloseCode.noStatusReceived.rawValue,
                    reason: reason,
                    time: Timestamp.now
                )
            }
            if case .text(let text) = event { messages.append(.text(text)) }
            if case .binary(let bytes) = event { messages.append(.binary(bytes)) }
            if case .protocolViolation(let violation) = event, ending == nil {
                ending = .closed(
                    code: violation.closeCode.rawValue,
                    reason: "protocol violation by the server: \(violation)",
                    time: Timestamp.now
                )
            }
        }
    }

    private func flush() {
        guard socket.connection.hasOutbound else { return }
        do {
            try socket.stream.write(socket.connection.takeOutbound(), deadline: .after(seconds: 5))
        } catch {
            if ending == nil {
                ending = .closed(code: CloseCode.abnormalClosure.rawValue, reason: error.message, time: Timestamp.now)
            }
        }
    }
}
