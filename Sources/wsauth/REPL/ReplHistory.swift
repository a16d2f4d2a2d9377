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

    func load(into editor: LineEditor) {
        guard let path, access(path, R_OK) == 0 else { return }
        editor.loadHistory(from: path)
    }

    func record(_ line: String, in editor: LineEditor) {
        guard !line.trimmingSpaces().isEmpty, !redactor.containsSecret(line) else { return }
        editor.addHistory(line)
    }

    /// Written whole to a private temporary file, then renamed over the old one,
    /// so that a crash never leaves half a history and no one else can read it.
    func save(from editor: LineEditor) {
        guard let path, let directory = path.lastIndex(of: "/").map({ String(path[..<$0]) }) else { return }
        ReplHistory.makeDirectories(directory)
        let temporary = path + ".tmp.\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        close(fd)
        if editor.saveHistory(to: temporary), chmod(temporary, 0o600) == 0, rename(temporary, path) == 0 { return }
        unlink(temporary)
    }

    /// `mkdir -p` with mode 0700: the state directory also holds credentials.
    private static func makeDirectories(_ path: String) {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if access(prefix, F_OK) != 0 { mkdir(prefix, 0o700) }
        }
    }
}
