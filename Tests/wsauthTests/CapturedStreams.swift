import Synchronization

@testable import wsauth

/// A command's stdout and stderr kept as bytes, on a terminal or not, with colour allowed
/// or not (gh's `iostreams.Test()`).
final class CapturedStreams: Sendable {
    private final class Written: Sendable {
        let bytes = Mutex<(stdout: [UInt8], stderr: [UInt8])>(([], []))
    }

    private let written = Written()
    let streams: Streams

    init(terminal: Bool = false, colourAllowed: Bool = true, arguments: [String] = ["wsauth"]) {
        let written = written
        streams = Streams(
            stdoutIsTerminal: terminal,
            stderrIsTerminal: terminal,
            colourAllowed: colourAllowed,
            arguments: arguments,
            write: { stream, bytes in
                written.bytes.withLock { written in
                    switch stream {
                    case .stdout: written.stdout += bytes
                    case .stderr: written.stderr += bytes
                    }
                }
            }
        )
    }

    var stdout: String { written.bytes.withLock { String(decoding: $0.stdout, as: UTF8.self) } }
    var stderr: String { written.bytes.withLock { String(decoding: $0.stderr, as: UTF8.self) } }
}
