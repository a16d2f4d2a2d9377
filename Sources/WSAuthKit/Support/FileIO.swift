import Glibc

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

    #if DEBUG
    /// Test hook, compiled into debug builds only: a pause, in milliseconds,
    /// half-way through writing the temporary file, so that a test can SIGKILL
    /// the process in the middle of a write.
    static let pauseEnvironmentVariable = "WSAUTH_TEST_WRITE_PAUSE_MS"
    static var writePause: UInt32? {
        getenv(pauseEnvironmentVariable).flatMap { UInt32(String(cString: $0)) }
    }
    #else
    static var writePause: UInt32? { nil }
    #endif

    /// Writes `bytes` to `path` with `mode` so that readers see the old file or the
    /// new one, whole: write a temporary file in the same directory (rename is only
    /// atomic within a file system), fsync it, rename it over the target, fsync the
    /// directory so the rename itself survives a crash.
    ///
    /// The temporary file has a random name and is created with O_EXCL|O_NOFOLLOW,
    /// so that nothing planted at a predictable name (a symlink to another file)
    /// is written through; a temporary file left by a killed writer is harmless.
    public static func replaceAtomically(_ path: String, with bytes: [UInt8], mode: mode_t = 0o600) throws(Failure) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        try createDirectories(directory)
        let temporary = path + ".tmp." + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw Failure(.internal, "cannot write \(temporary): \(errnoText())") }
        do throws(Failure) {
            // O_CREAT's mode is masked by the umask: set it exactly, and make sure it took.
            guard fchmod(fd, mode) == 0 else {
                throw Failure(.internal, "cannot set the mode of \(temporary): \(errnoText())")
            }
            try PrivateDirectory.checkOwnFile(fd, path: temporary)
            try writeSynced(fd, bytes, path: temporary)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let text = errnoText()
            unlink(temporary)
            throw Failure(.internal, "cannot replace \(path): \(text)")
        }
        let directoryFD = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    private static func writeSynced(_ fd: Int32, _ bytes: [UInt8], path: String) throws(Failure) {
        let pause = writePause
        let half = pause == nil ? bytes.count : bytes.count / 2
        try writeAll(fd, bytes[0..<half], path: path)
        if let pause {
            usleep(pause * 1000)
            try writeAll(fd, bytes[half...], path: path)
        }
        guard fsync(fd) == 0 else { throw Failure(.internal, "cannot flush \(path) to disk: \(errnoText())") }
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

    /// Creates `path` mode 0600 when missing, or makes an existing file of the
    /// user's 0600: for files that others write into by name (libcurl's cookie jar).
    public static func createPrivateFile(_ path: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(.internal, "cannot write \(path): \(errnoText())") }
        defer { close(fd) }
        try PrivateDirectory.checkOwnFile(fd, path: path)
        guard fchmod(fd, 0o600) == 0 else { throw Failure(.internal, "cannot set the mode of \(path): \(errnoText())") }
    }

    /// Renames, reporting whether the source existed.
    public static func move(_ source: String, to destination: String) throws(Failure) -> Bool {
        if rename(source, destination) == 0 { return true }
        if errno == ENOENT { return false }
        throw Failure(.internal, "cannot move \(source) to \(destination): \(errnoText())")
    }

    /// Removes a file, reporting whether it existed.
    /// The names in a directory, without `.` and `..`; none when it cannot be read.
    public static func directoryEntries(_ path: String) -> [String] {
        guard let handle = opendir(path) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public static func remove(_ path: String) throws(Failure) -> Bool {
        if unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw Failure(.internal, "cannot remove \(path): \(errnoText())")
    }
}
