import Glibc
import WSAuthKit
import WSAuthServeOptions
import WSAuthServer

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The flags of `wsauth serve` checked and turned into the server's configuration.
/// Users and the HMAC key can come from a file or the environment, so that no secret
/// has to go on a command line (docs/reference/behaviour.md, Conventions).
struct ServeSettings {
    let options: ServeOptions

    init(_ options: ServeOptions) {
        self.options = options
    }

    func configuration(
        log: @escaping @Sendable (String) -> Void
    ) throws(ServeUsageError) -> ReferenceServerConfiguration {
        ReferenceServerConfiguration(
            host: options.host,
            port: try usable(port: options.port),
            tokenTTL: try usable(duration: options.tokenTTL, flag: "--token-ttl"),
            refreshTTL: try usable(duration: options.refreshTTL, flag: "--refresh-ttl"),
            users: try resolvedUsers(),
            secret: try resolvedSecret(),
            allowedOrigins: options.allowedOrigins,
            acceptExpired: options.acceptExpired,
            noExpiryClose: options.noExpiryClose,
            allowQueryToken: options.allowQueryToken,
            ignoreOrigin: options.ignoreOrigin,
            log: log
        )
    }

    private func usable(port: Int) throws(ServeUsageError) -> Int {
        guard (0...65_535).contains(port) else { throw ServeUsageError("--port \(port): expected 0…65535") }
        return port
    }

    private func usable(duration text: String, flag: String) throws(ServeUsageError) -> Duration {
        guard let span = try? TimeSpan.parse(text), span.milliseconds > 0 else {
            throw ServeUsageError("\(flag): expected a positive duration such as 250ms, 30s, 5m or 1.5h")
        }
        return .milliseconds(Int64(span.milliseconds))
    }

    private func resolvedUsers() throws(ServeUsageError) -> [String: String] {
        let given = [options.users != nil, options.usersEnv != nil, options.usersFile != nil].filter { $0 }.count
        guard given <= 1 else { throw ServeUsageError("give at most one of --users, --users-env and --users-file") }
        if let variable = options.usersEnv {
            return try parseUsers(try environment(variable, flag: "--users-env"), flag: "--users-env")
        }
        if let file = options.usersFile {
            return try parseUsers(try contents(of: file, flag: "--users-file"), flag: "--users-file")
        }
        return try options.users.map { list throws(ServeUsageError) in try parseUsers(list, flag: "--users") }
            ?? ReferenceServerConfiguration.demoUsers
    }

    /// NAME:PASSWORD entries separated by commas or line breaks (a file holds one a line).
    private func parseUsers(_ list: String, flag: String) throws(ServeUsageError) -> [String: String] {
        var parsed: [String: String] = [:]
        for entry in list.split(whereSeparator: { $0 == "," || $0.isNewline }) where !entry.isEmpty {
            guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex else {
                throw ServeUsageError(
                    "\(flag): expected NAME:PASSWORD[,NAME:PASSWORD…], got an entry without a name and a colon"
                )
            }
            parsed[String(entry[..<colon])] = String(entry[entry.index(after: colon)...])
        }
        guard !parsed.isEmpty else { throw ServeUsageError("\(flag): no users given") }
        return parsed
    }

    private func resolvedSecret() throws(ServeUsageError) -> String? {
        let given = [options.secret != nil, options.secretEnv != nil, options.secretFile != nil].filter { $0 }.count
        guard given <= 1 else { throw ServeUsageError("give at most one of --secret, --secret-env and --secret-file") }
        if let variable = options.secretEnv { return try environment(variable, flag: "--secret-env") }
        if let file = options.secretFile {
            // A trailing newline from `echo secret > file` is not part of the secret.
            var text = try contents(of: file, flag: "--secret-file")
            while text.last?.isNewline == true { text.removeLast() }
            guard !text.isEmpty else { throw ServeUsageError("--secret-file: \(file) is empty") }
            return text
        }
        return options.secret
    }

    private func environment(_ variable: String, flag: String) throws(ServeUsageError) -> String {
        guard let value = getenv(variable) else { throw ServeUsageError("\(flag): \(variable) is not set") }
        return String(cString: value)
    }

    private func contents(of file: String, flag: String) throws(ServeUsageError) -> String {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: file)) else {
            throw ServeUsageError("\(flag): cannot read \(file)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A usage error: printed as exactly one line, exit 64 (docs/reference/exit-codes.md).
struct ServeUsageError: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
