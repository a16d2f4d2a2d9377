import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// A report file (`--junit`, `--sarif`), opened before the run so that a path that
/// cannot be written is a usage error at once, not after a long watch.
struct ReportFile {
    let flag: String
    let path: String
    private let fd: Int32

    init(flag: String, path: String) throws(Failure) {
        self.flag = flag
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure.usage("\(flag) \(path): cannot write the file (errno \(errno))") }
    }

    func write(_ text: String) throws(Failure) {
        defer { close(fd) }
        guard ReportFile.writeAll(fd, Array(text.utf8)) else {
            throw Failure(.internal, "\(flag) \(path): write failed (errno \(errno))")
        }
    }

    /// False on an error other than an interruption.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
