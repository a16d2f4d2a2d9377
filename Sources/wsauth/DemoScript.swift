import WSAuthKit

/// The narrated story of `wsauth demo` (Demo.swift): the reference server as a child
/// process, a scratch profile, and each step run with the same library code as the
/// real commands (DemoSteps.swift, DemoDeviceFlow.swift).
struct DemoScript {
    let output: Output
    let ttl: TimeSpan
    let user = "alice"
    let password = Secret("wonderland")

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
            paths: Paths(configFile: scratch.path + "/config.toml", stateDirectory: scratch.path)
        )
        let wsURL = try WebSocketURL.parse(server.webSocketURL)
        output.redactor.register(password)

        let firstToken = try logInAndProbe(server, store: store, wsURL: wsURL)
        let secondToken = try expireAndRefresh(server, store: store, wsURL: wsURL, token: firstToken)
        let lastToken = try socketIOStory(server: server, store: store, firstToken: secondToken)
        try logOut(server, store: store, wsURL: wsURL, token: lastToken)
        let deviceToken = try DemoDeviceFlow(
            output: output,
            baseURL: server.baseURL,
            store: store,
            webSocket: wsURL,
            user: user,
            password: password,
            say: say,
            note: note
        ).run(step: 10)
        output.probeReport = true
        if let failure = session(wsURL, token: deviceToken, script: SessionScript()).run(input: nil) { throw failure }
        output.probeReport = false
        say(
            nil,
            "Done",
            """
            Try it on your own server: wsauth login URL …, then wsauth connect wss://…/ws.
            Every command takes --json for CI; exit codes are listed in wsauth --help.
            """
        )
    }

    func session(
        _ url: WebSocketURL,
        token: Secret,
        script: SessionScript,
        app: SocketIOSettings? = nil
    ) -> SessionDriver {
        let driver = SessionDriver(
            plan: { token in
                var plan = HandshakePlan(url: url)
                if let token, app == nil { TokenPresentation().apply(token, to: &plan) }
                return plan
            },
            token: token,
            transport: TransportOptions(),
            script: script,
            output: output,
            redactor: output.redactor
        )
        driver.tokenPlacement = app == nil ? .header : .message
        if let app { driver.app = { token in SocketIOProtocol(app, token: token) } }
        return driver
    }

    /// `wsauth refresh` with what the login recorded; the new tokens are registered.
    func refresh(_ store: CredentialStore) throws(Failure) -> Secret {
        let refreshed = try RefreshFlow(store: store, transport: TransportOptions(), settings: RefreshSettings()).run(
            emit: emit
        ).0
        guard let token = refreshed.accessToken else {
            throw Failure(.handshake, "the demo server's refresh answer held no access token")
        }
        output.redactor.register(token: token)
        if let refreshToken = refreshed.refreshToken { output.redactor.register(refreshToken) }
        return token
    }

    func emit(_ event: Event) { output.emit(event) }

    func say(_ number: Int?, _ title: String, _ text: String) {
        let heading = number.map { "Step \($0) — \(title)" } ?? title
        let bar = String(repeating: "─", count: heading.count)
        output.say("\n\(heading)\n\(bar)\n\(text)\n", to: .stdout)
        output.flush()
    }

    func note(_ text: String) {
        output.say("\n" + text, to: .stdout)
        output.flush()
    }
}
