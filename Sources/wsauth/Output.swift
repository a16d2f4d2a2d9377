import WSAuthKit
#if canImport(Glibc)
import Glibc
#endif

/// How binary messages are shown (`--binary-as`).
enum BinaryStyle: String, CaseIterable {
    case raw, hex, base64
}

/// The two renderers of the one event model: JSON lines on stdout with `--json`,
/// otherwise words for people — received messages on stdout, narration on stderr.
final class Output: SessionOutput {
    let json: Bool
    let redactor: Redactor
    let verbose: Bool
    var binaryStyle: BinaryStyle
    /// Where the human form of events goes: stderr for `connect` (stdout carries
    /// the messages), stdout for commands whose report is the product (`probe`).
    let humanEventsToStdout: Bool
    let colour: Bool
    var probeReport = false
    private var stdoutBuffer: [UInt8] = []

    init(json: Bool, showSecrets: Bool, verbose: Bool = false, humanEventsToStdout: Bool = false, binaryStyle: BinaryStyle? = nil) {
        self.json = json
        self.redactor = Redactor(showSecrets: showSecrets)
        self.verbose = verbose
        self.humanEventsToStdout = humanEventsToStdout
        self.binaryStyle = binaryStyle ?? (isatty(STDOUT_FILENO) == 1 ? .hex : .raw)
        self.colour = isatty(STDERR_FILENO) == 1 && getenv("NO_COLOR") == nil
    }

    deinit { flush() }

    // MARK: SessionOutput

    func emit(_ event: Event) {
        if json {
            guard let value = event.json(redactor: redactor) else { return }
            writeStdout(value.serialized(redactor: redactor) + "\n")
        } else if probeReport, verbose, case .handshake(let report) = event.kind {
            // -v puts request and response lines on stderr for every command, as
            // curl does; probe's own report (the checks and timings) stays on stdout.
            let renderer = HumanRenderer(redactor: redactor, verbose: verbose, colour: colour)
            writeStderr(renderer.handshakeLines(report).joined(separator: "\n") + "\n")
            writeStdout(renderer.probeSummary(report).joined(separator: "\n") + "\n")
        } else if let text = HumanRenderer(redactor: redactor, verbose: verbose, colour: colour, probeReport: probeReport).render(event) {
            if humanEventsToStdout { writeStdout(text + "\n") } else { writeStderr(text + "\n") }
        }
    }

    func received(_ payload: MessagePayload) {
        if json {
            emit(Event(.message(MessageReport(payload: payload))))
            return
        }
        switch payload {
        case .text(let text):
            stdoutBuffer.append(contentsOf: redactor.text(text).utf8)
            stdoutBuffer.append(UInt8(ascii: "\n"))
            if stdoutBuffer.count >= 64 * 1024 { flush() }
        case .binary(let bytes):
            switch binaryStyle {
            case .raw: writeStdout(bytes)
            case .hex: writeStdout(HexDump.render(bytes) + "\n")
            case .base64: writeStdout(Base64.encode(bytes) + "\n")
            }
        }
    }

    /// An application message: its text as a line, or a `message` event that also
    /// carries the protocol's fields (Socket.IO's event `name`, `ack` id, `namespace`).
    func received(_ message: AppMessage) {
        guard json else { return received(.text(message.text)) }
        guard case .object(var members)? = Event(.message(MessageReport(payload: .text(message.text)))).json(redactor: redactor) else { return }
        for (key, value) in message.fields.sorted(by: { $0.key < $1.key }) where !members.contains(where: { $0.0 == key }) {
            members.append((key, value))
        }
        writeStdout(JSONValue.object(members).serialized(redactor: redactor) + "\n")
    }

    func flush() {
        guard !stdoutBuffer.isEmpty else { return }
        Output.writeAll(STDOUT_FILENO, stdoutBuffer)
        stdoutBuffer.removeAll(keepingCapacity: true)
    }

    // MARK: Writing

    func writeStdout(_ text: String) {
        writeStdout(Array(text.utf8))
    }

    /// Buffered: a firehose of small messages must not cost a system call each.
    func writeStdout(_ bytes: [UInt8]) {
        if bytes.count >= 64 * 1024 {
            // A large message goes straight out rather than through a second copy.
            flush()
            Output.writeAll(STDOUT_FILENO, bytes)
            return
        }
        stdoutBuffer.append(contentsOf: bytes)
        if stdoutBuffer.count >= 64 * 1024 { flush() }
    }

    func writeStderr(_ text: String) {
        flush()
        Output.writeAll(STDERR_FILENO, Array(text.utf8))
    }

    /// The last line of every failing command (cli.md "Exit codes"), and an
    /// `error` event under `--json`.
    func fail(_ failure: Failure) -> Never {
        if json { emit(Event(.error(ErrorReport(failure)))) }
        flush()
        writeStderr(redactor.text(failure.message) + "\n")
        exit(failure.exitStatus.rawValue)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return  // a closed pipe: nobody is reading any more
            }
            offset += written
        }
    }
}

/// `xxd`-style lines for binary messages on a terminal.
enum HexDump {
    static func render(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "(empty binary message)" }
        var lines: [String] = []
        for start in stride(from: 0, to: bytes.count, by: 16) {
            let row = bytes[start..<min(start + 16, bytes.count)]
            let hex = row.map { byte -> String in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }.joined(separator: " ")
            let ascii = String(row.map { (0x20..<0x7F).contains($0) ? Character(Unicode.Scalar($0)) : "." })
            let offset = String(start, radix: 16)
            lines.append(String(repeating: "0", count: max(0, 8 - offset.count)) + offset + "  "
                + hex.padding(toLength: 47) + "  " + ascii)
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
