import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// The REPL's line history in `$XDG_STATE_HOME/wsauth/history` (default
/// `~/.local/state/wsauth/history`), mode 0600, next to the credentials.
/// A line that holds a registered secret is never kept: not in memory, so it
/// cannot be written out later either.
struct ReplHistory {
    let path: String?
    let redactor: Redactor

    init(redactor: Redactor) {
        self.redactor = redactor
        func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        // XDG Base Directory: a relative XDG_STATE_HOME is invalid and ignored.
        if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") {
            path = state + "/wsauth/history"
        } else if let home = environment("HOME"), !home.isEmpty {
            path = home + "/.local/state/wsauth/history"
        } else {
            path = nil
        }
    }

    /// Only from a regular file of the user's in a private directory: never
    /// through a symlink someone planted at the history's name.
    func load(into editor: LineEditor) {
        guard let path, let directory = path.lastIndex(of: "/").map({ String(path[..<$0]) }),
            (try? PrivateDirectory.check(directory)) == true
        else { return }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        var info = stat()
        let ownFile = fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && info.st_uid == geteuid()
        close(fd)
        if ownFile { editor.loadHistory(from: path) }
    }

    func record(_ line: String, in editor: LineEditor) {
        guard !line.trimmingSpaces().isEmpty, !redactor.containsSecret(line) else { return }
        editor.addHistory(line)
    }

    /// Written whole to a private temporary file (random name, O_EXCL|O_NOFOLLOW,
    /// in the private state directory), then renamed over the old one, so that a
    /// crash never leaves half a history and no one else can read it.
    func save(from editor: LineEditor) {
        guard let path, let directory = path.lastIndex(of: "/").map({ String(path[..<$0]) }),
            (try? PrivateDirectory.prepare(directory)) != nil
        else { return }
        let temporary = path + ".tmp." + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let onlyOurs = fchmod(fd, 0o600) == 0
        close(fd)
        if onlyOurs, editor.saveHistory(to: temporary), rename(temporary, path) == 0 { return }
        unlink(temporary)
    }
}
