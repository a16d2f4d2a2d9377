import WSAuthKit

/// The demo's last story: `wsauth login --grant device_code` (RFC 8628) against the
/// demo's own server, found by discovery, with the demo playing the user who enters
/// the code on the server's /device page.
struct DemoDeviceFlow {
    let output: Output
    let baseURL: String
    let store: CredentialStore
    let webSocket: WebSocketURL
    let user: String
    let password: Secret
    let say: (Int?, String, String) -> Void
    let note: (String) -> Void

    /// Returns the access token the device flow got.
    func run(step: Int) throws(Failure) -> Secret {
        let transport = TransportOptions()
        say(
            step,
            "Log in like gh auth login: the device flow",
            """
            wsauth login --issuer \(baseURL) --grant device_code --client-id wsauth-demo --scope openid
            For identity providers that allow no password grant: wsauth finds the endpoints in the issuer's
            /.well-known/openid-configuration, asks for a device code, shows you a URL and a short code to
            enter there (on a phone, say), and polls until you have approved.
            """
        )
        let metadata = try OAuthDiscovery.discover(issuer: baseURL, transport: transport, emit: output.emit)
        guard let endpoint = metadata.deviceAuthorizationEndpoint else {
            throw Failure(.protocol, "the demo server names no device_authorization_endpoint")
        }
        let login = InteractiveLogin(
            metadata: metadata,
            clientID: "wsauth-demo",
            clientSecret: nil,
            scope: "openid",
            audience: nil,
            timeout: TimeSpan(seconds: 60),
            webSocket: webSocket
        )
        let flow = DeviceFlow(login: login, store: store, transport: transport)
        let authorization = try flow.authorize(at: endpoint, emit: output.emit)
        note(
            """
            To log in, open \(authorization.verificationURI) and enter the code \(authorization.userCode)
            The demo plays you: it posts the code with \(user)'s password to that page and approves.
            """
        )
        try approve(authorization)
        let credentials = try flow.poll(authorization, emit: output.emit, waiting: { _ in })
        guard let token = credentials.accessToken else {
            throw Failure(.handshake, "the demo server's device grant held no access token")
        }
        output.redactor.register(token: token)
        if let refreshToken = credentials.refreshToken { output.redactor.register(refreshToken) }
        note(
            """
            Logged in as \(credentials.user ?? user) with an access token, a refresh token and an ID token
            (wsauth token --decode --id shows its claims). The access token opens /ws like any other;
            against your provider, --grant authorization_code does the same through your browser.
            """
        )
        return token
    }

    /// The user's side (§3.3): the verification page, answered with an HTTP form post.
    private func approve(_ authorization: DeviceAuthorization) throws(Failure) {
        let form = URLEncoding.form([
            ("user_code", authorization.userCode), ("username", user), ("password", password.reveal()),
            ("decision", "approve"),
        ])
        let request = HTTPRequest(
            method: "POST",
            url: authorization.verificationURI,
            headers: [HTTPHeader(name: "Content-Type", value: "application/x-www-form-urlencoded")],
            body: Array(form.utf8)
        )
        let answer = try HTTPClient(options: TransportOptions()).perform(request)
        guard answer.status == 200 else {
            throw Failure(.internal, "the demo server's /device page answered \(answer.status) to the approval")
        }
        output.say("approved on \(authorization.verificationURI): \(answer.statusLine)", to: .stdout)
    }
}
