import Glibc

/// An exclusive `flock(2)` on a lock file beside the credentials, held for the
/// lifetime of the value. The kernel drops it when the process dies, SIGKILL
/// included, so a crashed refresh never leaves the profile locked.
///
/// The lock is on a separate file because the credentials file itself is replaced
/// by rename: a lock on it would be on an inode that no longer has the name.
final class FileLock {
    private let fd: Int32

    /// Waits for the lock, polling so that the wait is bounded.
    init(path: String, timeout: TimeSpan) throws(Failure) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        try PrivateDirectory.prepare(directory)
        // Never through a symlink: one planted here would make us create or lock another file.
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Failure(.internal, "cannot open lock file \(path): \(FileIO.errnoText())") }
        do throws(Failure) {
            try PrivateDirectory.checkOwnFile(fd, path: path)
        } catch {
            close(fd)
            throw error
        }
        var waitedMs = 0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let text = FileIO.errnoText()
                close(fd)
                throw Failure(.internal, "cannot lock \(path): \(text)")
            }
            guard waitedMs < timeout.milliseconds else {
                close(fd)
                throw Failure(.timeout, "another wsauth process has held \(path) for \(timeout); is one stuck?")
            }
            usleep(10_000)
            waitedMs += 10
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
