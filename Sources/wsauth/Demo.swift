import ArgumentParser
import WSAuthKit
#if canImport(Glibc)
import Glibc
#endif

/// `wsauth demo`: the whole story on a fresh machine, told step by step against
/// the reference server (`wsauth-serve`, started as a child process). Every step runs
/// the same library code as the real commands; only the narration is extra.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Walk through login → connect → token expiry (close 4001) → refresh → reconnect, the same in Socket.IO, logout, then a device-flow login, narrated.",
        discussion: "Starts the reference server (wsauth-serve) on a free loopback port with 5-second tokens. Touches no stored credentials of yours.")

    @Option(name: .customLong("token-ttl"), help: ArgumentHelp("How long the demo's access tokens live.", valueName: "DURATION"))
    var tokenTTL = TimeSpan(seconds: 5)

    @OptionGroup(title: "Output") var outputFlags: OutputFlags

    func validate() throws {
        guard tokenTTL.seconds >= 1, tokenTTL.seconds <= 60 else {
            throw ValidationError("invalid --token-ttl \(tokenTTL): use 1s to 60s, the demo waits for it to pass")
        }
    }

    func run() throws {
        let output = Output(json: outputFlags.json, showSecrets: outputFlags.showSecrets, humanEventsToStdout: true)
        do throws(Failure) {
            try DemoScript(output: output, ttl: tokenTTL).run()
        } catch {
            output.fail(error)
        }
    }
}

private struct DemoScript {
    let output: Output
    let ttl: TimeSpan
    private let user = "alice"
    private let password = Secret("wonderland")

    init(output: Output, ttl: TimeSpan) {
        self.output = output
        self.ttl = ttl
    }

    func run() throws(Failure) {
        ActiveChild.stopWithParent()
        let server = try ServerProcess(ServerExecutable.locate(), arguments: ["--token-ttl", "\(ttl.milliseconds)ms"])
        defer { server.stop() }
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let store = CredentialStore(
            profile: try ProfileName("demo"),
            paths: Paths(configFile: scratch.path + "/config.toml", stateDirectory: scratch.path))
        let transport = TransportOptions()
        let wsURL = try WebSocketURL.parse(server.webSocketURL)
        output.redactor.register(password)

        say(1, "A server that wants a token", """
            A reference auth server is listening on \(server.baseURL) (wsauth-serve, loopback only).
            It hands out JWT access tokens that live \(ttl), refresh tokens that rotate on every use,
            and a WebSocket at \(server.webSocketURL) that checks the token at the handshake.
            """)

        say(2, "Log in", "wsauth login \(server.loginURL) --user \(user) --password-stdin")
        let login = try LoginFlow(store: store, transport: transport).run(
            LoginRequest(url: server.loginURL, body: .credentials(user: user, password: password, form: false),
                         webSocket: wsURL, refresh: RefreshEndpoint(url: server.refreshURL, style: .json)),
            emit: emit)
        guard let firstToken = login.accessToken else {
            throw Failure(.handshake, "the demo server's login answer held no access token")
        }
        output.redactor.register(token: firstToken)
        if let refreshToken = login.refreshToken { output.redactor.register(refreshToken) }
        note("""
            The tokens are stored (mode 0600) and shown redacted: a short prefix tells tokens apart,
            the rest never reaches a terminal or a CI log unless you pass --show-secrets.
            """)

        say(3, "Probe the handshake", "wsauth probe \(server.webSocketURL)")
        output.probeReport = true
        if let failure = session(wsURL, token: firstToken, script: SessionScript()).run(input: nil) { throw failure }
        output.probeReport = false
        note("""
            101 Switching Protocols: the server took the token from the Authorization header. wsauth checked
            Sec-WebSocket-Accept (RFC 6455 §4.2.2) and compared the server's clock with ours: a skewed clock
            makes tokens expire early or late.
            """)

        say(4, "Talk, and watch the token expire", """
            wsauth connect \(server.webSocketURL) --send '{"op":"whoami"}' --expect-close 4001
            The token dies \(ttl) after login. The server will not wait for the next handshake: it closes
            the open socket with 4001. Waiting for it…
            """)
        var watch = SessionScript()
        watch.sends = [.text(#"{"op":"whoami"}"#)]
        watch.expectClose = [4001]
        watch.within = TimeSpan(seconds: ttl.seconds + 10)
        if let failure = session(wsURL, token: firstToken, script: watch).run(input: nil) { throw failure }
        note("""
            4001 is not in the RFC: it is the private-use code (4000–4999) that many servers send for
            "token expired". A script sees it as exit code 2 from wsauth connect, or explains it with
            `wsauth codes 4001`.
            """)

        say(5, "Refresh", "wsauth refresh")
        let refreshed = try RefreshFlow(store: store, transport: transport, settings: RefreshSettings()).run(emit: emit).0
        guard let secondToken = refreshed.accessToken else {
            throw Failure(.handshake, "the demo server's refresh answer held no access token")
        }
        output.redactor.register(token: secondToken)
        if let refreshToken = refreshed.refreshToken { output.redactor.register(refreshToken) }
        note("""
            The refresh token was used once and replaced (rotation): the server would treat a second use of
            the old one as theft and revoke the whole family. That is why wsauth writes the store atomically,
            under a lock, and lets only one of many parallel processes refresh.
            """)

        say(6, "Reconnect with the new token", "wsauth connect \(server.webSocketURL) --send '{\"op\":\"whoami\"}' --count 1")
        var talk = SessionScript()
        talk.sends = [.text(#"{"op":"whoami"}"#)]
        talk.count = 1
        if let failure = session(wsURL, token: secondToken, script: talk).run(input: nil) { throw failure }
        note("""
            With --reconnect, wsauth connect does steps 4 to 6 by itself: on 4001 it refreshes (once) and
            reconnects with backoff, and sends --auth-message again when the token travels in a message.
            """)

        let lastToken = try socketIOStory(server: server, store: store, firstToken: secondToken)

        say(9, "Log out, and try the old token", "wsauth logout --revoke-url \(server.logoutURL)")
        _ = try LogoutFlow(store: store, transport: transport).run(revokeURL: server.logoutURL, emit: emit)
        note("The session and its refresh tokens are revoked. Now the same handshake with the last token:")
        let rejected = session(wsURL, token: lastToken, script: SessionScript()).run(input: nil)
        guard let rejected, rejected.exitStatus == .authRejected else {
            throw Failure(.internal, "the demo server accepted a revoked token; the demo expected a 401")
        }
        output.say(rejected.message, to: .stdout)
        note("""
            401 at the handshake, with WWW-Authenticate saying why: a revoked token is refused before the
            socket opens. `wsauth audit` checks this and more (expired, tampered, alg:none, foreign Origin).
            """)

        let deviceToken = try DemoDeviceFlow(
            output: output, baseURL: server.baseURL, store: store, webSocket: wsURL, user: user, password: password,
            say: say, note: note
        ).run(step: 10)
        output.probeReport = true
        if let failure = session(wsURL, token: deviceToken, script: SessionScript()).run(input: nil) { throw failure }
        output.probeReport = false
        say(nil, "Done", """
            Try it on your own server: wsauth login URL …, then wsauth connect wss://…/ws.
            Every command takes --json for CI; exit codes are listed in wsauth --help.
            """)
    }

    /// Steps 7–8: the same token lifecycle inside Socket.IO, where the token rides in
    /// CONNECT's `auth` and expiry is a DISCONNECT (`41`) rather than a close code.
    /// Returns the refreshed token, the newest one, for the logout step.
    private func socketIOStory(server: ServerProcess, store: CredentialStore, firstToken: Secret) throws(Failure) -> Secret {
        let url = try SocketIOURL.resolve(server.baseURL)
        let socketIO = try SocketIOSettings()
        say(7, "The same story in Socket.IO", """
            wsauth connect \(server.baseURL) --app socketio --send '["hello","socket.io"]'
            Socket.IO carries the token in its CONNECT packet (40{"token":…}), not in the upgrade. The server
            answers 40{"sid":…} and a welcome event, echoes events, and at expiry sends DISCONNECT (41).
            """)
        var talk = SessionScript()
        talk.sends = [.text(#"["hello","socket.io"]"#)]
        // More messages than the server will send: the session lasts until the server ends it.
        talk.count = 100
        talk.timeout = TimeSpan(seconds: ttl.seconds + 10)
        guard let ended = session(url, token: firstToken, script: talk, app: socketIO).run(input: nil) else {
            throw Failure(.internal, "the demo server did not end the Socket.IO session at the token's expiry")
        }
        output.say(ended.message, to: .stdout)
        say(8, "Refresh, and CONNECT again", "wsauth connect \(server.baseURL) --app socketio --reconnect")
        let refreshed = try RefreshFlow(store: store, transport: TransportOptions(), settings: RefreshSettings()).run(emit: emit).0
        guard let token = refreshed.accessToken else {
            throw Failure(.handshake, "the demo server's refresh answer held no access token")
        }
        output.redactor.register(token: token)
        if let refreshToken = refreshed.refreshToken { output.redactor.register(refreshToken) }
        var welcome = SessionScript()
        welcome.count = 1
        if let failure = session(url, token: token, script: welcome, app: socketIO).run(input: nil) { throw failure }
        note("""
            A new CONNECT with the refreshed token, welcomed again. With --reconnect, wsauth connect --app
            socketio treats DISCONNECT at expiry like 4001: it refreshes once and sends CONNECT anew.
            """)
        return token
    }

    private func session(
        _ url: WebSocketURL, token: Secret, script: SessionScript, app: SocketIOSettings? = nil
    ) -> SessionDriver {
        let driver = SessionDriver(
            plan: { token in
                var plan = HandshakePlan(url: url)
                if let token, app == nil { TokenPresentation().apply(token, to: &plan) }
                return plan
            },
            token: token, transport: TransportOptions(), script: script, output: output, redactor: output.redactor)
        driver.tokenPlacement = app == nil ? .header : .message
        if let app { driver.app = { token in SocketIOProtocol(app, token: token) } }
        return driver
    }

    private func emit(_ event: Event) { output.emit(event) }

    private func say(_ number: Int?, _ title: String, _ text: String) {
        let heading = number.map { "Step \($0) — \(title)" } ?? title
        let bar = String(repeating: "─", count: heading.count)
        output.say("\n\(heading)\n\(bar)\n\(text)\n", to: .stdout)
        output.flush()
    }

    private func note(_ text: String) {
        output.say("\n" + text, to: .stdout)
        output.flush()
    }
}

/// A private temporary directory for the demo's profile, removed afterwards.
private struct ScratchDirectory {
    let path: String

    init() throws(Failure) {
        var template = Array("/tmp/wsauth-demo-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(.internal, "could not create a temporary directory for the demo")
        }
        path = String(cString: made)
    }

    func remove() {
        for name in FileIO.directoryEntries(path) { unlink(path + "/" + name) }
        rmdir(path)
    }
}
