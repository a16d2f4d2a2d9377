import Testing
import WSAuthKit

@testable import wsauth

/// `Output`, the one way out, rendered into captured streams: words for people on the right
/// stream, JSON lines under `--json`, colour only on a terminal without NO_COLOR, secrets
/// redacted, and a failure handed back as an exit status.
struct OutputTests {
    @Test func notesGoToStderrForConnectAndStdoutForProbe() {
        let connect = CapturedStreams()
        Output(json: false, showSecrets: false, streams: connect.streams).emit(Event(.note("reconnecting")))
        #expect(connect.stderr == "reconnecting\n")
        #expect(connect.stdout == "")

        let probe = CapturedStreams()
        Output(json: false, showSecrets: false, humanEventsToStdout: true, streams: probe.streams)
            .emit(Event(.note("reconnecting")))
        #expect(probe.stdout == "reconnecting\n")
    }

    @Test func receivedTextIsBufferedUntilFlushed() {
        let captured = CapturedStreams()
        let output = Output(json: false, showSecrets: false, streams: captured.streams)
        output.received(.text("hello"))
        #expect(captured.stdout == "")
        output.flush()
        #expect(captured.stdout == "hello\n")
    }

    /// A large text message goes out from its own storage, after what was buffered before
    /// it, and is still escaped and redacted like a small one (docs/redaction.md).
    @Test func largeTextIsWrittenInOrderEscapedAndRedacted() {
        let secret = "s3cr3t-value-123"
        let captured = CapturedStreams(arguments: ["wsauth", "connect", "wss://h/?access_token=\(secret)"])
        let output = Output(json: false, showSecrets: false, streams: captured.streams)
        let plain = String(repeating: "a", count: 100_000)
        let escaped = String(repeating: "b", count: 100_000) + "\u{1B}[2J"
        let holdingSecret = String(repeating: "c", count: 100_000) + secret
        output.received(.text("small"))
        output.received(.text(plain))
        output.received(.text(escaped))
        output.received(.text(holdingSecret))
        output.flush()
        let lines = captured.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5)
        #expect(lines.first == "small")
        #expect(lines.dropFirst().first.map(String.init) == plain)
        #expect(lines.dropFirst(2).first?.hasPrefix("bbb") == true)
        #expect(lines.dropFirst(2).first?.contains("\u{1B}") == false)
        #expect(lines.dropFirst(3).first?.hasPrefix("ccc") == true)
        #expect(!captured.stdout.contains(secret))
    }

    @Test func jsonPutsOneEventPerLineOnStdout() {
        let captured = CapturedStreams()
        let output = Output(json: true, showSecrets: false, streams: captured.streams)
        output.received(.text("hello"))
        output.emit(Event(.note("not an event of the stream")))
        output.flush()
        let lines = captured.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix(#"{"event":"message""#) == true)
        #expect(lines.first?.contains(#""type":"text","data":"hello""#) == true)
    }

    @Test func colourOnlyOnATerminalWithoutNoColor() {
        let line = [Line("failed", .red)]
        let terminal = CapturedStreams(terminal: true)
        let painted = Output(json: false, showSecrets: false, streams: terminal.streams).render(line)
        #expect(painted == "\u{1B}[31mfailed\u{1B}[0m")
        let noColor = CapturedStreams(terminal: true, colourAllowed: false)
        #expect(Output(json: false, showSecrets: false, streams: noColor.streams).render(line) == "failed")
        let pipe = CapturedStreams(terminal: false)
        #expect(Output(json: false, showSecrets: false, streams: pipe.streams).render(line) == "failed")
    }

    @Test func binaryIsHexOnATerminalAndRawOtherwise() {
        let terminal = CapturedStreams(terminal: true)
        let shown = Output(json: false, showSecrets: false, streams: terminal.streams)
        shown.received(.binary([0x41, 0x00]))
        shown.flush()
        #expect(terminal.stdout == "00000000  41 00" + String(repeating: " ", count: 42) + "  A.\n")

        let pipe = CapturedStreams(terminal: false)
        let raw = Output(json: false, showSecrets: false, streams: pipe.streams)
        raw.received(.binary([0x41, 0x42]))
        raw.flush()
        #expect(pipe.stdout == "AB")
    }

    /// A secret in a URL of the command line is one (docs/redaction.md).
    @Test func secretsOfTheCommandLineAreRedacted() {
        let captured = CapturedStreams(arguments: ["wsauth", "connect", "wss://h/?access_token=s3cr3t-value-123"])
        let output = Output(json: false, showSecrets: false, streams: captured.streams)
        output.say("token s3cr3t-value-123 sent", to: .stderr)
        #expect(!captured.stderr.contains("s3cr3t-value-123"))
        #expect(captured.stderr.hasPrefix("token "))
    }

    @Test func failureIsTheLastLineAndItsExitStatusGoesBack() {
        let captured = CapturedStreams()
        let output = Output(json: false, showSecrets: false, streams: captured.streams)
        output.received(.text("before"))
        #expect(throws: CommandExit(.authRejected)) { try output.fail(Failure(.auth, "auth rejected: 401")) }
        #expect(captured.stdout == "before\n")
        #expect(captured.stderr == "auth rejected: 401\n")
    }

    @Test func failureUnderJSONIsAlsoAnErrorEvent() {
        let captured = CapturedStreams()
        let output = Output(json: true, showSecrets: false, streams: captured.streams)
        #expect(throws: CommandExit(.timeout)) { try output.fail(Failure(.timeout, "no answer within 1s")) }
        #expect(captured.stdout.hasPrefix(#"{"event":"error""#))
        #expect(captured.stdout.contains(#""exit_code":5"#))
        #expect(captured.stderr == "no answer within 1s\n")
    }
}
