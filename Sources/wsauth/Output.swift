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
///
/// It is also the one way out: every line for people goes through `say`/`render`,
/// which redact registered secrets and escape control characters (`Redactor.shown`)
/// before painting our own colours; JSON strings are redacted and escaped by the
/// JSON writer. No command writes to stdout or stderr past it.
final class Output: SessionOutput {
    typealias Stream = Streams.Stream

    let json: Bool
    let redactor: Redactor
    let verbose: Bool
    var binaryStyle: BinaryStyle
    /// Where the human form of events goes: stderr for `connect` (stdout carries
    /// the messages), stdout for commands whose report is the product (`probe`).
    let humanEventsToStdout: Bool
    let colour: Bool
    var probeReport = false
    /// Sees every event before it is rendered (the CI reports' `RunRecorder`).
    var observer: ((Event) -> Void)?
    /// Inside GitHub Actions (probe, connect): the title of the `::error` workflow
    /// command that repeats a failure's last line (docs/ci.md).
    var workflowErrorTitle: String?
    let streams: Streams
    /// Unchecked: it is touched three or four times per message shown, where the dynamic
    /// exclusivity checks cost ~70 instructions a message (issue 23); the client runs on one
    /// thread, its single event loop (docs/ARCHITECTURE.md), and no access to it calls back
    /// into `Output`.
    @exclusivity(unchecked) private var stdoutBuffer: [UInt8] = []

    init(
        json: Bool,
        showSecrets: Bool,
        verbose: Bool = false,
        humanEventsToStdout: Bool = false,
        binaryStyle: BinaryStyle? = nil,
        streams: Streams = Streams.current
    ) {
        self.json = json
        self.redactor = Redactor(showSecrets: showSecrets)
        self.verbose = verbose
        self.humanEventsToStdout = humanEventsToStdout
        self.streams = streams
        self.binaryStyle = binaryStyle ?? (streams.stdoutIsTerminal ? .hex : .raw)
        self.colour = streams.stderrIsTerminal && streams.colourAllowed
        // Any URL the user typed may carry a credential in its query or userinfo; the
        // command line is theirs, so what it says is a secret is one (docs/redaction.md).
        redactor.register(URLQuerySecrets.secrets(inArguments: streams.arguments))
    }

    deinit { flush() }

    var renderer: HumanRenderer {
        HumanRenderer(redactor: redactor, verbose: verbose, probeReport: probeReport)
    }

    // MARK: SessionOutput

    func emit(_ event: Event) {
        observer?(event)
        if case .secrets(let secrets) = event.kind {
            redactor.register(secrets)
        } else if json {
            guard let value = event.json(redactor: redactor, time: .now) else { return }
            put(value.serialized(redactor: redactor) + "\n", to: .stdout)
        } else if probeReport, verbose, case .handshake(let report) = event.kind {
            // -v puts request and response lines on stderr for every command, as
            // curl does; probe's own report (the checks and timings) stays on stdout.
            say(renderer.handshakeLines(report), to: .stderr)
            say(renderer.probeSummary(report), to: .stdout)
        } else if let lines = renderer.render(event) {
            say(lines, to: humanEventsToStdout ? .stdout : .stderr)
        }
    }

    /// Text messages are shown like everything else a server sends (a CI log viewer
    /// renders ANSI too); `--json` or `--binary-as` give the exact bytes.
    func received(_ payload: MessagePayload) {
        if json {
            emit(Event(.message(MessageReport(payload: payload))))
            return
        }
        switch payload {
        case .text(let text) where text.utf8.count >= Self.directWriteSize:
            // Written from the message's own storage (or its shown copy), not through the buffer.
            flush()
            redactor.withShown(text) { streams.write(.stdout, UnsafeRawBufferPointer($0)) }
            stdoutBuffer.append(UInt8(ascii: "\n"))
        case .text(let text):
            redactor.appendShown(text, to: &stdoutBuffer)
            stdoutBuffer.append(UInt8(ascii: "\n"))
            if stdoutBuffer.count >= Self.directWriteSize { flush() }
        case .binary(let received):
            // Redacted before any rendering: the hex dump's ASCII column and the base64
            // of a secret would otherwise show it (docs/redaction.md "Binary messages").
            let bytes = redactor.bytes(received)
            switch binaryStyle {
            case .raw: writeStdout(bytes)
            case .hex: put(HexDump.render(bytes) + "\n", to: .stdout)
            case .base64: put(Base64.encode(bytes) + "\n", to: .stdout)
            }
        }
    }

    /// An application message: its text as a line, or a `message` event that also
    /// carries the protocol's fields (Socket.IO's event `name`, `ack` id, `namespace`).
    func received(_ message: AppMessage) {
        let payload = message.bytes.map(MessagePayload.binary) ?? .text(message.text)
        guard json else { return received(payload) }
        guard
            case .object(var members)? = Event(.message(MessageReport(payload: payload))).json(
                redactor: redactor,
                time: .now
            )
        else { return }
        for (key, value) in message.fields.sorted(by: { $0.key < $1.key })
        where !members.contains(where: { $0.0 == key }) {
            members.append((key, value))
        }
        put(JSONValue.object(members).serialized(redactor: redactor) + "\n", to: .stdout)
    }

    func flush() {
        guard !stdoutBuffer.isEmpty else { return }
        stdoutBuffer.withUnsafeBytes { streams.write(.stdout, $0) }
        stdoutBuffer.removeAll(keepingCapacity: true)
    }

    // MARK: The way out

    /// Lines for people: redacted, escaped, then painted.
    func say(_ lines: [Line], to stream: Stream) {
        put(render(lines) + "\n", to: stream)
    }

    func say(_ text: String, to stream: Stream) {
        say([Line(text)], to: stream)
    }

    /// The text of `lines` as it may be shown; colour only where stderr is a terminal.
    func render(_ lines: [Line], colour: Bool? = nil) -> String {
        let painted = colour ?? self.colour
        return lines.map { line in
            let text = redactor.shown(line.text)
            guard painted, let colour = line.colour else { return text }
            return "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m"
        }.joined(separator: "\n")
    }

    /// A secret printed on purpose (`wsauth token`): not redacted, but still inert.
    func reveal(_ secret: Secret) {
        put(TerminalText.escape(secret.reveal()) + "\n", to: .stdout)
    }

    /// The last line of every failing command (docs/reference/exit-codes.md), and an
    /// `error` event under `--json`; the exit status goes back to `Main`, the one place
    /// that exits.
    func fail(_ failure: Failure) throws(CommandExit) -> Never {
        if json { emit(Event(.error(ErrorReport(failure)))) }
        flush()
        say(failure.message, to: .stderr)
        if let workflowErrorTitle {
            let last = render([Line(failure.message)], colour: false).split(separator: "\n").last.map(String.init) ?? ""
            put(WorkflowCommand(.error, title: workflowErrorTitle, message: last).line + "\n", to: .stderr)
        }
        throw CommandExit(failure.exitStatus)
    }

    // MARK: Writing

    private func put(_ text: String, to stream: Stream) {
        switch stream {
        case .stdout: writeStdout(Array(text.utf8))
        case .stderr:
            flush()
            streams.write(text, to: .stderr)
        }
    }

    /// Output up to this size is gathered in `stdoutBuffer`; from it, written as it lies.
    private static let directWriteSize = 64 * 1024

    /// Buffered: a firehose of small messages must not cost a system call each.
    private func writeStdout(_ bytes: [UInt8]) {
        if bytes.count >= Self.directWriteSize {
            // A large message goes straight out rather than through a second copy.
            flush()
            bytes.withUnsafeBytes { streams.write(.stdout, $0) }
            return
        }
        stdoutBuffer.append(contentsOf: bytes)
        if stdoutBuffer.count >= Self.directWriteSize { flush() }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    // A non-blocking stdout we were handed: wait until the reader makes room
                    // rather than spinning (a blocking write would wait as long).
                    var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                    continue
                }
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
            lines.append(
                String(repeating: "0", count: max(0, 8 - offset.count)) + offset + "  "
                    + hex.padding(toLength: 47) + "  " + ascii
            )
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
