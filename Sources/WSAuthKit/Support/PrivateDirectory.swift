import Glibc

/// The state directory holds credentials, so it must be the user's alone: created
/// 0700, and when it already exists, a directory owned by the user that no one else
/// can write to. Otherwise another local user could swap the credentials file, or
/// plant a symlink where the next write lands (the checks of OpenSSH's
/// `StrictModes` and of gpg's home directory).
public enum PrivateDirectory {
    /// What is wrong with a directory found on disk, or nil when it is safe.
    static func problem(isDirectory: Bool, owner: uid_t, mode: mode_t, user: uid_t) -> String? {
        guard isDirectory else { return "it is not a directory" }
        guard owner == user else {
            return "it is owned by uid \(owner), not by you (uid \(user)); use a directory of your own"
        }
        guard mode & 0o022 == 0 else {
            return "others can write to it (mode \(String(mode & 0o7777, radix: 8))); run 'chmod 700' on it"
        }
        return nil
    }

    /// Creates `path` and its missing parents with mode 0700; an existing `path`
    /// must pass `problem` (exit 1 otherwise, with one line saying why).
    public static func prepare(_ path: String) throws(Failure) {
        var prefix = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw Failure(.internal, "cannot create directory \(prefix): \(FileIO.errnoText())")
            }
        }
        _ = try check(path)
    }

    /// Checks an existing `path`; false when there is none (nothing to trust or distrust).
    public static func check(_ path: String) throws(Failure) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return false }
            throw Failure(.internal, "cannot inspect \(path): \(FileIO.errnoText())")
        }
        let isDirectory = info.st_mode & S_IFMT == S_IFDIR
        if let problem = problem(isDirectory: isDirectory, owner: info.st_uid, mode: info.st_mode, user: geteuid()) {
            throw Failure(.internal, "refusing to keep credentials in \(path): \(problem)")
        }
        return true
    }

    /// Checks an open file: a regular file of the user's, as opened (no symlink
    /// was followed: the caller passes O_NOFOLLOW).
    static func checkOwnFile(_ fd: Int32, path: String) throws(Failure) {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw Failure(.internal, "cannot inspect \(path): \(FileIO.errnoText())")
        }
        guard info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid() else {
            throw Failure(.internal, "refusing to use \(path): it is not a regular file of yours")
        }
    }
}
