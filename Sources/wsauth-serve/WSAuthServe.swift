import ArgumentParser
import Glibc
import WSAuthServeOptions
import WSAuthServer

/// `wsauth-serve`: the reference auth server as an executable of its own, started by
/// `wsauth serve` (which execs it with its own arguments) and `wsauth demo` (a child
/// process). Its messages say `wsauth serve`, the command users type.
@main
struct WSAuthServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wsauth-serve",
        abstract: "Run a local reference auth server with a WebSocket echo endpoint (what `wsauth serve` runs).",
        discussion: ServeOptions.discussion
    )

    @OptionGroup var options: ServeOptions

    static func main() {
        // A closed pipe (the banner's reader gone) ends writes with EPIPE, not a signal.
        signal(SIGPIPE, SIG_IGN)
        let command: WSAuthServe
        do {
            command = try parse()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }  // --help
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            ServeLine.write("wsauth serve: \(message) (see 'wsauth serve --help')", to: STDERR_FILENO)
            Glibc.exit(64)
        }
        do {
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    func run() throws {
        let configuration: ReferenceServerConfiguration
        do {
            configuration = try ServeSettings(options).configuration(log: { line in
                ServeLine.write(line, to: STDERR_FILENO)
            })
        } catch {
            ServeLine.write("wsauth serve: \(error.message)", to: STDERR_FILENO)
            throw ExitCode(64)
        }
        let server: ReferenceServer
        do {
            server = try ReferenceServer.start(configuration)
        } catch {
            ServeLine.write(
                "wsauth serve: \(error); pick another port with --port (0 = any free port)",
                to: STDERR_FILENO
            )
            throw ExitCode.failure
        }
        printBanner(server, configuration)
        server.runUntilSignal()
        ServeLine.write("wsauth serve: stopped", to: STDERR_FILENO)
    }

    private func printBanner(_ server: ReferenceServer, _ configuration: ReferenceServerConfiguration) {
        let demoUsers = !options.hasOwnUsers
        let userList = configuration.users.keys.sorted().map { name in
            // Demo passwords are public; the passwords of users given by any flag are not printed.
            demoUsers ? "\(name):\(configuration.users[name] ?? "")" : name
        }
        var insecure: [String] = []
        if options.acceptExpired { insecure.append("--accept-expired") }
        if options.noExpiryClose { insecure.append("--no-expiry-close") }
        if options.allowQueryToken { insecure.append("--allow-query-token") }
        if options.ignoreOrigin { insecure.append("--ignore-origin") }
        ServeLine.write(
            """
            wsauth reference server listening on \(server.baseURL)
              login        POST \(server.loginURL)
              refresh      POST \(server.refreshURL)
              oauth token  POST \(server.oauthTokenURL)
              oauth issuer      \(server.issuerURL)   (wsauth login --issuer \(server.issuerURL) --grant authorization_code|device_code --client-id ANY)
              logout       POST \(server.logoutURL)
              websocket    GET  \(server.webSocketURL)   (first-message auth: \(server.webSocketURL)?auth=message)
              socket.io    GET  \(server.socketIOURL)?EIO=4&transport=websocket   (token in CONNECT's auth)
            \(demoUsers ? "demo users" : "users"): \(userList.joined(separator: ", "))
            access tokens live \(options.tokenTTL), refresh tokens \(options.refreshTTL)
            insecure switches: \(insecure.isEmpty ? "none" : insecure.joined(separator: " "))
            Ctrl-C stops the server.
            """,
            to: STDOUT_FILENO
        )
    }
}

extension ServeOptions {
    var hasOwnUsers: Bool { users != nil || usersEnv != nil || usersFile != nil }
}

/// One whole line in one write(2): unbuffered, so that a script reading the banner
/// through a pipe sees the port at once, and log lines from several threads never interleave.
enum ServeLine {
    static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            guard written > 0 else { return }
            offset += written
        }
    }
}
