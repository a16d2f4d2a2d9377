#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a secret comes from: never the command line itself, where `ps` and
/// shell history would show it (cli.md "Conventions").
public enum SecretSource: Sendable, Equatable {
    case environment(String)
    case file(String)
    case standardInput

    /// The secret, one trailing newline removed (`echo pw | …`, files saved by editors).
    public func read(what: String) throws(Failure) -> Secret {
        var text: String
        switch self {
        case .environment(let name):
            guard let value = getenv(name) else {
                throw Failure.usage("\(what): environment variable \(name) is not set")
            }
            text = String(cString: value)
        case .file(let path):
            guard let content = try FileIO.readText(path) else { throw Failure.usage("\(what): no such file \(path)") }
            text = content
        case .standardInput:
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                bytes.append(contentsOf: chunk[0..<count])
            }
            text = String(decoding: bytes, as: UTF8.self)
        }
        if text.hasSuffix("\r\n") { text.removeLast(2) } else if text.hasSuffix("\n") { text.removeLast() }
        guard !text.isEmpty else { throw Failure.usage("\(what) is empty") }
        return Secret(text)
    }

    /// The one source among the variants of a secret flag; nil when none is given,
    /// a usage error when several are.
    public static func choose(flag: String, environment: String?, file: String?, stdin: Bool) throws(Failure) -> SecretSource? {
        var sources: [SecretSource] = []
        if let environment { sources.append(.environment(environment)) }
        if let file { sources.append(.file(file)) }
        if stdin { sources.append(.standardInput) }
        guard sources.count <= 1 else {
            throw Failure.usage("give only one of \(flag)-env, \(flag)-file and \(flag)-stdin")
        }
        return sources.first
    }
}
