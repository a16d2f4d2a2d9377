import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// `wsauth-serve` as a child process of `wsauth demo`: started on a free loopback
/// port, known by the base URL its banner prints, stopped with SIGTERM.
final class ServerProcess {
    let pid: pid_t
    /// `http://127.0.0.1:PORT`, read from the banner's "listening on" line.
    let baseURL: String
    private let banner: Int32

    var loginURL: String { baseURL + "/auth/login" }
    var refreshURL: String { baseURL + "/auth/refresh" }
    var logoutURL: String { baseURL + "/auth/logout" }
    var webSocketURL: String { "ws" + baseURL.dropFirst("http".count) + "/ws" }

    /// Starts `executable` with `arguments` (and `--port 0`); returns once it printed
    /// where it listens, or throws after `timeout` seconds.
    init(_ executable: ServerExecutable, arguments: [String], timeout: Int32 = 20) throws(Failure) {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw Failure(.internal, "cannot create a pipe for \(executable.path)") }
        pid = try Self.spawn(executable, arguments + ["--host", "127.0.0.1", "--port", "0"], stdout: pipeEnds[1])
        close(pipeEnds[1])
        banner = pipeEnds[0]
        ActiveChild.pid = pid
        guard let base = Self.readBaseURL(from: pipeEnds[0], timeoutMilliseconds: timeout * 1000) else {
            Self.terminate(pid, banner: pipeEnds[0])
            throw Failure(
                .internal,
                "\(executable.path) did not print where it listens; run 'wsauth serve --port 0' to see why"
            )
        }
        baseURL = base
    }

    /// SIGTERM, then at most 10 s for it to close its sockets, then SIGKILL.
    func stop() {
        Self.terminate(pid, banner: banner)
    }

    private static func terminate(_ pid: pid_t, banner: Int32) {
        ActiveChild.pid = 0
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<200 {
            if waitpid(pid, &status, WNOHANG) != 0 {
                close(banner)
                return
            }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        close(banner)
    }

    private static func spawn(
        _ executable: ServerExecutable,
        _ arguments: [String],
        stdout: Int32
    ) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdout, STDOUT_FILENO)
        // The server logs every request on stderr; the demo narrates instead.
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        var argv = ([executable.path] + arguments).map { strdup($0) }
        argv.append(nil)
        defer { for word in argv { free(word) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable.path, &actions, nil, argv, environ)
        guard result == 0 else {
            throw Failure(.internal, "cannot run \(executable.path): \(String(cString: strerror(result)))")
        }
        return child
    }

    /// Reads the banner until its "listening on URL" line is complete.
    private static func readBaseURL(from descriptor: Int32, timeoutMilliseconds: Int32) -> String? {
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let marker = Array("listening on ".utf8)
        var waited: Int32 = 0
        while waited < timeoutMilliseconds {
            if let start = text.firstRange(of: marker)?.upperBound, let end = text[start...].firstIndex(of: 10) {
                return String(decoding: text[start..<end], as: UTF8.self)
            }
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&waiting, 1, 100) >= 0 || errno == EINTR else { return nil }
            waited += 100
            guard waiting.revents != 0 else { continue }
            let count = read(descriptor, &chunk, chunk.count)
            guard count > 0 else { return nil }
            text += chunk[..<count]
        }
        return nil
    }
}

/// The demo's server, for the signal handler: a demo stopped by SIGTERM or SIGHUP
/// stops its server too (Ctrl-C reaches both, as one foreground process group).
enum ActiveChild {
    nonisolated(unsafe) static var pid: pid_t = 0

    static func stopWithParent() {
        for signalNumber in [SIGTERM, SIGHUP] {
            signal(signalNumber) { received in
                if ActiveChild.pid > 0 { kill(ActiveChild.pid, SIGTERM) }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }
}
