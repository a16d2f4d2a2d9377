import ArgumentParser
import WSAuthKit
import WSAuthServer

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `wsauth serve`: the reference auth server, for trying clients against.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a local reference auth server with a WebSocket echo endpoint.",
        discussion: """
            Endpoints: POST /auth/login (JSON {"username","password"} or form) → \
            access_token, refresh_token and a wsauth_session cookie; POST /auth/refresh \
            (JSON {"refresh_token"}; refresh tokens rotate, and reusing one revokes its \
            whole family); POST /oauth/token (RFC 6749: grant_type password, \
            client_credentials with HTTP Basic or form client credentials — every user \
            is also a client whose secret is its password — and refresh_token); \
            POST /auth/logout (by bearer token, refresh_token, the session cookie or \
            X-Session-Token) revokes the session and its refresh tokens.

            GET /ws echoes text and binary messages and answers {"op":"whoami"}. It \
            accepts Authorization: Bearer, Sec-WebSocket-Protocol \
            base64url.bearer.authorization.k8s.io.<token> (never selected; offer \
            echo.v1 alongside and that one is), the wsauth_session cookie, \
            X-Session-Token, and with --allow-query-token ?token=. On /ws?auth=message \
            the handshake needs no credential and the first text message must be \
            {"type":"auth","token":"…"} within 10 s (else close 4401 "auth timeout"; \
            a bad token closes with 4001). A missing, bad or expired credential gets \
            401 with WWW-Authenticate and a JSON body; a foreign Origin gets 403. \
            An open socket is closed with 4001 "token expired" when its token expires \
            and with 4003 "session revoked" when its session is logged out.

            DURATION is a number with a unit, ms, s, m or h (250ms, 10s, 5m, 1.5h); a \
            bare number means seconds.
            """
    )

    @Option(help: "Interface to listen on.")
    var host = "127.0.0.1"

    @Option(help: "TCP port; 0 picks a free one (printed).")
    var port = 8765

    @Option(name: .customLong("token-ttl"), parsing: .unconditional, help: ArgumentHelp("Access-token lifetime.", valueName: "duration"))
    var tokenTTL = "5m"

    @Option(name: .customLong("refresh-ttl"), parsing: .unconditional, help: ArgumentHelp("Refresh-token and session lifetime.", valueName: "duration"))
    var refreshTTL = "24h"

    @Option(help: ArgumentHelp("Users instead of the demo ones.", valueName: "name:password[,name:password…]"))
    var users: String?

    @Option(help: ArgumentHelp("HMAC key for the access tokens (default: random per run).", valueName: "secret"))
    var secret: String?

    @Option(name: .customLong("secret-env"), help: ArgumentHelp("Read the HMAC key from this environment variable.", valueName: "var"))
    var secretEnv: String?

    @Option(name: .customLong("secret-file"), help: ArgumentHelp("Read the HMAC key from this file.", valueName: "file"))
    var secretFile: String?

    @Option(
        name: .customLong("allowed-origin"),
        help: ArgumentHelp("An Origin allowed to open /ws besides the server's own (repeatable).", valueName: "origin")
    )
    var allowedOrigins: [String] = []

    @Flag(help: "Insecure: accept expired access tokens at the handshake (the socket then closes at once with 4001 unless --no-expiry-close).")
    var acceptExpired = false

    @Flag(help: "Insecure: keep sockets open after their token expires (no close 4001).")
    var noExpiryClose = false

    @Flag(help: "Insecure: accept ?token= on /ws (query strings end up in logs).")
    var allowQueryToken = false

    @Flag(help: "Insecure: accept handshakes from any Origin (cross-site WebSocket hijacking).")
    var ignoreOrigin = false

    func run() throws {
        let configuration: ReferenceServerConfiguration
        do {
            configuration = try makeConfiguration()
        } catch {
            writeLine("wsauth serve: \(error.message)", to: STDERR_FILENO)
            throw ExitCode(64)
        }
        let server: ReferenceServer
        do {
            server = try ReferenceServer.start(configuration)
        } catch {
            writeLine("wsauth serve: \(error); pick another port with --port (0 = any free port)", to: STDERR_FILENO)
            throw ExitCode.failure
        }
        printBanner(server, configuration)
        server.runUntilSignal()
        writeLine("wsauth serve: stopped", to: STDERR_FILENO)
    }

    private func makeConfiguration() throws(UsageError) -> ReferenceServerConfiguration {
        ReferenceServerConfiguration(
            host: host,
            port: try usable(port: port),
            tokenTTL: try usable(duration: tokenTTL, flag: "--token-ttl"),
            refreshTTL: try usable(duration: refreshTTL, flag: "--refresh-ttl"),
            users: try users.map(parseUsers) ?? ReferenceServerConfiguration.demoUsers,
            secret: try resolvedSecret(),
            allowedOrigins: allowedOrigins,
            acceptExpired: acceptExpired,
            noExpiryClose: noExpiryClose,
            allowQueryToken: allowQueryToken,
            ignoreOrigin: ignoreOrigin,
            log: { line in writeLine(line, to: STDERR_FILENO) }
        )
    }

    private func printBanner(_ server: ReferenceServer, _ configuration: ReferenceServerConfiguration) {
        let userList = configuration.users.keys.sorted().map { name in
            // Demo passwords are public; passwords given with --users are not printed.
            users == nil ? "\(name):\(configuration.users[name] ?? "")" : name
        }
        var insecure: [String] = []
        if acceptExpired { insecure.append("--accept-expired") }
        if noExpiryClose { insecure.append("--no-expiry-close") }
        if allowQueryToken { insecure.append("--allow-query-token") }
        if ignoreOrigin { insecure.append("--ignore-origin") }
        writeLine(
            """
            wsauth reference server listening on \(server.baseURL)
              login        POST \(server.loginURL)
              refresh      POST \(server.refreshURL)
              oauth token  POST \(server.oauthTokenURL)
              logout       POST \(server.logoutURL)
              websocket    GET  \(server.webSocketURL)   (first-message auth: \(server.webSocketURL)?auth=message)
            \(users == nil ? "demo users" : "users"): \(userList.joined(separator: ", "))
            access tokens live \(tokenTTL), refresh tokens \(refreshTTL)
            insecure switches: \(insecure.isEmpty ? "none" : insecure.joined(separator: " "))
            Ctrl-C stops the server.
            """,
            to: STDOUT_FILENO
        )
    }

    private func usable(port: Int) throws(UsageError) -> Int {
        guard (0...65_535).contains(port) else { throw UsageError("--port \(port): expected 0…65535") }
        return port
    }

    private func usable(duration text: String, flag: String) throws(UsageError) -> Duration {
        guard let span = try? TimeSpan.parse(text), span.milliseconds > 0 else {
            throw UsageError("\(flag): expected a positive duration such as 250ms, 30s, 5m or 1.5h")
        }
        return .milliseconds(Int64(span.milliseconds))
    }

    private func parseUsers(_ list: String) throws(UsageError) -> [String: String] {
        var parsed: [String: String] = [:]
        for entry in list.split(separator: ",") {
            guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex else {
                throw UsageError("--users: expected NAME:PASSWORD[,NAME:PASSWORD…], got an entry without a name and a colon")
            }
            parsed[String(entry[..<colon])] = String(entry[entry.index(after: colon)...])
        }
        guard !parsed.isEmpty else { throw UsageError("--users: no users given") }
        return parsed
    }

    private func resolvedSecret() throws(UsageError) -> String? {
        let sources = [secret != nil, secretEnv != nil, secretFile != nil].filter { $0 }.count
        guard sources <= 1 else { throw UsageError("give at most one of --secret, --secret-env and --secret-file") }
        if let secretEnv {
            guard let value = getenv(secretEnv) else { throw UsageError("--secret-env: \(secretEnv) is not set") }
            return String(cString: value)
        }
        if let secretFile {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: secretFile)) else {
                throw UsageError("--secret-file: cannot read \(secretFile)")
            }
            // A trailing newline from `echo secret > file` is not part of the secret.
            var text = String(decoding: data, as: UTF8.self)
            while text.last?.isNewline == true { text.removeLast() }
            return text
        }
        return secret
    }
}

/// A usage error: `run` prints it as exactly one line and exits 64 (cli.md, Exit codes).
private struct UsageError: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}

/// One whole line in one write(2): unbuffered, so that a script reading the banner
/// through a pipe sees the port at once, and log lines from several threads never interleave.
private func writeLine(_ text: String, to descriptor: Int32) {
    let bytes = Array((text + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
        guard written > 0 else { return }
        offset += written
    }
}
