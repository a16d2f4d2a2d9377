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

    /// From this size a write first asks for a pipe this large.
    private static let largeWrite = 1 << 20
    /// F_SETPIPE_SZ (fcntl(2)), which Glibc's module leaves out (it needs _GNU_SOURCE).
    private static let setPipeSize: Int32 = 1031
    /// Asked once per stream, on its first large write (a lazy static runs once).
    private static let stdoutPipeSized = fcntl(STDOUT_FILENO, setPipeSize, Int32(largeWrite)) >= 0
    private static let stderrPipeSized = fcntl(STDERR_FILENO, setPipeSize, Int32(largeWrite)) >= 0

    /// The process's own stdout and stderr.
    static func process() -> Streams {
        Streams(
            stdoutIsTerminal: isatty(STDOUT_FILENO) == 1,
            stderrIsTerminal: isatty(STDERR_FILENO) == 1,
            colourAllowed: getenv("NO_COLOR") == nil,
            arguments: CommandLine.arguments,
            write: { stream, bytes in
                let fd = stream == .stdout ? STDOUT_FILENO : STDERR_FILENO
                // A pipe holds 64 KiB unless asked: a 64 MiB message would take a thousand
                // turns of writer and reader. 1 MiB is what Linux lets anyone ask for
                // (/proc/sys/fs/pipe-max-size); on anything but a pipe this fails, harmlessly.
                if bytes.count >= largeWrite { _ = stream == .stdout ? stdoutPipeSized : stderrPipeSized }
                Output.writeAll(fd, bytes)
            }
        )
    }

    func write(_ text: String, to stream: Stream) {
        var text = text
        text.withUTF8 { write(stream, UnsafeRawBufferPointer($0)) }
    }
}
