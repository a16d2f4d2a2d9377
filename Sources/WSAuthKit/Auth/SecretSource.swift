import Glibc

/// Where a secret comes from: never the command line itself, where `ps` and
/// shell history would show it (docs/reference/behaviour.md "Conventions").
///
/// One rule for every secret (docs/choices.md): from a file or stdin, the first
/// line without its line ending; from the environment, the value less one trailing
/// newline. Reading only the first line of stdin leaves the rest of it for pipe mode.
public enum SecretSource: Sendable, Equatable {
    case environment(String)
    case file(String)
    case standardInput

    /// The secret; `flag` names it in errors: `--token` (reported as `--token-env VAR`…)
    /// or a profile key such as `client_secret` (`client_secret_env VAR`…).
    public func read(flag: String) throws(Failure) -> Secret {
        let text: String
        switch self {
        case .environment(let name):
            guard let value = getenv(name) else {
                throw Failure.usage("\(describe(flag)): the environment variable is not set")
            }
            text = Self.firstLine(String(cString: value), whole: true)
        case .file(let path):
            guard let content = try FileIO.readText(path) else {
                throw Failure.usage("\(describe(flag)): cannot read the file")
            }
            text = Self.firstLine(content, whole: false)
        case .standardInput:
            text = Self.readLineFromStandardInput() ?? ""
        }
        guard !text.isEmpty else { throw Failure.usage("\(describe(flag)): the secret is empty") }
        return Secret(text)
    }

    /// How the user gave this source: `--token-file PATH`, `client_secret_env VAR`.
    public func describe(_ flag: String) -> String {
        let separator = flag.hasPrefix("-") ? "-" : "_"
        switch self {
        case .environment(let name): return "\(flag)\(separator)env \(name)"
        case .file(let path): return "\(flag)\(separator)file \(path)"
        case .standardInput: return "\(flag)\(separator)stdin"
        }
    }

    /// The one source among the variants of a secret flag; nil when none is given,
    /// a usage error when several are.
    public static func choose(
        flag: String,
        environment: String?,
        file: String?,
        stdin: Bool
    ) throws(Failure) -> SecretSource? {
        var sources: [SecretSource] = []
        if let environment { sources.append(.environment(environment)) }
        if let file { sources.append(.file(file)) }
        if stdin { sources.append(.standardInput) }
        guard sources.count <= 1 else {
            let separator = flag.hasPrefix("-") ? "-" : "_"
            throw Failure.usage(
                "give only one of \(flag)\(separator)env, \(flag)\(separator)file and \(flag)\(separator)stdin"
            )
        }
        return sources.first
    }

    /// The first line without `\n` or `\r\n`; with `whole`, everything less one trailing newline.
    static func firstLine(_ text: String, whole: Bool) -> String {
        var line = whole ? Substring(text) : text.prefix { $0 != "\n" && $0 != "\r\n" }
        if line.hasSuffix("\r\n") { line.removeLast(2) } else if line.hasSuffix("\n") { line.removeLast() }
        return String(line)
    }

    /// One line from stdin, read a byte at a time so that the rest stays for pipe mode.
    public static func readLineFromStandardInput() -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = Glibc.read(STDIN_FILENO, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1 else { break }
            if byte == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
    }
}
