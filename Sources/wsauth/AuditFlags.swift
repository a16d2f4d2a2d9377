import ArgumentParser
import WSAuthKit
#if canImport(Glibc)
import Glibc
#endif

/// The flags only `audit` has: extra credentials to judge with, what to run, where
/// the JUnit report goes.
struct AuditFlags: ParsableArguments {
    @Option(name: .customLong("expired-token"), help: ArgumentHelp("An expired token of this server, for the expired-token check (prefer the -env/-file/-stdin forms).", valueName: "TOKEN"))
    var expiredToken: String?

    @Option(name: .customLong("expired-token-env"), help: ArgumentHelp("Read the expired token from this environment variable.", valueName: "VAR"))
    var expiredTokenEnv: String?

    @Option(name: .customLong("expired-token-file"), help: ArgumentHelp("Read the expired token from this file (first line).", valueName: "FILE"))
    var expiredTokenFile: String?

    @Flag(name: .customLong("expired-token-stdin"), help: "Read the expired token from the first line of stdin.")
    var expiredTokenStdin = false

    @Option(name: .customLong("session-cookie"), help: ArgumentHelp("The session cookie a login set, for the origin-* and after-logout checks (prefer -env/-file).", valueName: "NAME=VALUE"))
    var sessionCookie: String?

    @Option(name: .customLong("session-cookie-env"), help: ArgumentHelp("Read NAME=VALUE of the session cookie from this environment variable.", valueName: "VAR"))
    var sessionCookieEnv: String?

    @Option(name: .customLong("session-cookie-file"), help: ArgumentHelp("Read NAME=VALUE of the session cookie from this file (first line).", valueName: "FILE"))
    var sessionCookieFile: String?

    @Option(name: .customLong("logout-url"), help: ArgumentHelp("Logout endpoint for the after-logout check. It is POSTed with the token and session cookie given, which REVOKES them: give a throwaway login.", valueName: "URL"))
    var logoutURL: String?

    @Flag(name: .customLong("watch-expiry"), help: "Stay connected until the token's exp + --grace and report whether, when and with which code the server closes (takes the token's remaining lifetime).")
    var watchExpiry = false

    @Option(help: ArgumentHelp("How long past exp a socket may stay open before watch-expiry fails (default 5s).", valueName: "DURATION"))
    var grace = "5s"

    @Option(help: ArgumentHelp("How long an upgraded socket must stay open to count as accepted (default 500ms).", valueName: "DURATION"))
    var settle = "500ms"

    @Option(help: ArgumentHelp("Run only these checks (comma-separated names or groups: placement, origin).", valueName: "LIST"))
    var only: String?

    @Option(help: ArgumentHelp("Leave out these checks (comma-separated names or groups).", valueName: "LIST"))
    var skip: String?

    @Option(help: ArgumentHelp("Also write the results as JUnit XML to this file.", valueName: "FILE"))
    var junit: String?

    /// `--expired-token…`, from the one source given.
    func expired(stdinTaken: Bool) throws(Failure) -> Secret? {
        try SecretInput.read(flag: "--expired-token", value: expiredToken, env: expiredTokenEnv, file: expiredTokenFile,
                             stdin: expiredTokenStdin, stdinTaken: stdinTaken)
    }

    /// `--session-cookie…` as a cookie; a value without `NAME=` is a usage error.
    func cookie() throws(Failure) -> SessionCookieCredential? {
        guard let text = try SecretInput.read(flag: "--session-cookie", value: sessionCookie, env: sessionCookieEnv,
                                              file: sessionCookieFile, stdin: false, stdinTaken: false)
        else { return nil }
        guard let cookie = SessionCookieCredential(parsing: text.reveal()) else {
            throw Failure.usage("invalid --session-cookie: use NAME=VALUE, e.g. the Set-Cookie of a login")
        }
        return cookie
    }
}

/// A secret flag's four forms (cli.md: secrets are never required on the command line).
enum SecretInput {
    static func read(flag: String, value: String?, env: String?, file: String?, stdin: Bool, stdinTaken: Bool) throws(Failure) -> Secret? {
        guard [value != nil, env != nil, file != nil, stdin].filter({ $0 }).count <= 1 else {
            throw Failure.usage("give one of \(flag), \(flag)-env, \(flag)-file, \(flag)-stdin")
        }
        let raw: String
        if let value {
            raw = value
        } else if let env {
            guard let found = getenv(env) else { throw Failure.usage("\(flag)-env \(env): the environment variable is not set") }
            raw = String(cString: found)
        } else if let file {
            guard let contents = FileText.read(file) else { throw Failure.usage("\(flag)-file \(file): cannot read the file") }
            raw = String(contents.prefix { $0 != "\n" && $0 != "\r" })
        } else if stdin {
            guard !stdinTaken else { throw Failure.usage("\(flag)-stdin: stdin is already read for --token-stdin") }
            raw = FileText.readLineFromStdin() ?? ""
        } else {
            return nil
        }
        let trimmed = String(raw.trimmingSpaces())
        guard !trimmed.isEmpty else { throw Failure.usage("\(flag): the value is empty") }
        return Secret(trimmed)
    }
}
