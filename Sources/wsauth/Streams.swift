#if canImport(Glibc)
import Glibc
#endif

/// Where a command's output goes and what kind of place that is (gh's `IOStreams`):
/// the process's stdout and stderr, or in tests a capture that says whether it is a
/// terminal. `Output` asks it, never `isatty` or the environment, so that its
/// rendering can be tested.
struct Streams: Sendable {
    enum Stream: Sendable { case stdout, stderr }

    var stdoutIsTerminal: Bool
    var stderrIsTerminal: Bool
    /// Colour is allowed at all: `NO_COLOR` is unset (no-color.org).
    var colourAllowed: Bool
    /// The command line: what it says is a secret is one (docs/redaction.md).
    var arguments: [String]
    /// Writes bytes the caller owns, so that a large message goes out from its own buffer.
    var write: @Sendable (Stream, UnsafeRawBufferPointer) -> Void

    /// The streams `Main` runs a command line with; `Output` takes them by default.
    @TaskLocal static var current = Streams.process()

    /// The process's own stdout and stderr.
    static func process() -> Streams {
        Streams(
            stdoutIsTerminal: isatty(STDOUT_FILENO) == 1,
            stderrIsTerminal: isatty(STDERR_FILENO) == 1,
            colourAllowed: getenv("NO_COLOR") == nil,
            arguments: CommandLine.arguments,
            write: { stream, bytes in Output.writeAll(stream == .stdout ? STDOUT_FILENO : STDERR_FILENO, bytes) }
        )
    }

    func write(_ text: String, to stream: Stream) {
        var text = text
        text.withUTF8 { write(stream, UnsafeRawBufferPointer($0)) }
    }
}
