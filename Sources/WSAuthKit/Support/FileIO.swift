#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations wsauth needs, on POSIX calls directly: reading small
/// files, and replacing one atomically with fsync so that a crash or SIGKILL at
/// any instant leaves either the old or the new content, never a mix.
public enum FileIO {
    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// The file's bytes, or nil when it does not exist.
    public static func readBytes(_ path: String) throws(Failure) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw Failure(.internal, "cannot read \(path): \(errnoText())")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(.internal, "cannot read \(path): \(errnoText())")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    public static func readText(_ path: String) throws(Failure) -> String? {
        try readBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `mkdir -p` with the given mode for the directories it creates.
    public static func createDirectories(_ path: String, mode: mode_t = 0o700) throws(Failure) {
        var prefix = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if mkdir(prefix, mode) != 0, errno != EEXIST {
                throw Failure(.internal, "cannot create directory \(prefix): \(errnoText())")
            }
        }
    }

    /// Test hook: a pause, in milliseconds, half-way through writing the temporary
    /// file, so that a test can SIGKILL the process in the middle of a write.
    static let pauseEnvironmentVariable = "WSAUTH_TEST_WRITE_PAUSE_MS"

    /// Writes `bytes` to `path` with `mode` so that readers see the old file or the
    /// new one, whole: write a temporary file in the same directory (rename is only
    /// atomic within a file system), fsync it, rename it over the target, fsync the
    /// directory so the rename itself survives a crash.
    ///
    /// The caller holds the file's lock, so one fixed temporary name is enough, and
    /// one left behind by a killed writer is simply overwritten.
    public static func replaceAtomically(_ path: String, with bytes: [UInt8], mode: mode_t = 0o600) throws(Failure) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        try createDirectories(directory)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw Failure(.internal, "cannot write \(temporary): \(errnoText())") }
        // O_CREAT's mode applies only to new files and is masked by the umask.
        fchmod(fd, mode)
        let pause = getenv(pauseEnvironmentVariable).flatMap { Int(String(cString: $0)) }
        let half = pause == nil ? bytes.count : bytes.count / 2
        do {
            try writeAll(fd, bytes[0..<half], path: temporary)
            if let pause {
                usleep(UInt32(max(0, pause)) * 1000)
                try writeAll(fd, bytes[half...], path: temporary)
            }
        } catch {
            close(fd)
            throw error
        }
        guard fsync(fd) == 0 else {
            let text = errnoText()
            close(fd)
            throw Failure(.internal, "cannot flush \(temporary) to disk: \(text)")
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            throw Failure(.internal, "cannot replace \(path): \(errnoText())")
        }
        let directoryFD = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, path: String) throws(Failure) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(.internal, "cannot write \(path): \(errnoText())")
            }
            offset += written
        }
    }

    /// Renames, reporting whether the source existed.
    public static func move(_ source: String, to destination: String) throws(Failure) -> Bool {
        if rename(source, destination) == 0 { return true }
        if errno == ENOENT { return false }
        throw Failure(.internal, "cannot move \(source) to \(destination): \(errnoText())")
    }

    /// Removes a file, reporting whether it existed.
    public static func remove(_ path: String) throws(Failure) -> Bool {
        if unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw Failure(.internal, "cannot remove \(path): \(errnoText())")
    }
}
