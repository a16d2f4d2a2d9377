import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// Where `wsauth-serve` is: beside the running `wsauth` (a build directory, or
/// `make install`'s bin), else the first on PATH. The server is an executable of its
/// own so that the client, which runs in every CI step, links no server framework.
struct ServerExecutable {
    static let name = "wsauth-serve"

    let path: String

    static func locate() throws(Failure) -> ServerExecutable {
        let beside = ownDirectory().map { $0 + "/" + name }
        for candidate in [beside].compactMap({ $0 }) + pathCandidates() where access(candidate, X_OK) == 0 {
            return ServerExecutable(path: candidate)
        }
        let expected = beside ?? name
        throw Failure(
            .internal,
            "cannot find \(expected) (nor \(name) on PATH): install it beside wsauth (make install does)"
        )
    }

    /// Replaces this process with the server: it keeps the process id, so Ctrl-C,
    /// SIGTERM and the exit status are the server's own, with nothing in between.
    func exec(_ arguments: [String]) throws(Failure) -> Never {
        var argv = ([path] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        throw Failure(.internal, "cannot run \(path): \(String(cString: strerror(errno)))")
    }

    /// The directory of the running executable, from /proc/self/exe (symlinks resolved).
    private static func ownDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    private static func pathCandidates() -> [String] {
        guard let raw = getenv("PATH") else { return [] }
        return String(cString: raw).split(separator: ":").map { ($0.isEmpty ? "." : String($0)) + "/" + name }
    }
}
