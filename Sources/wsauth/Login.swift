import ArgumentParser
import WSAuthKit

/// `wsauth login [URL]`: POST credentials, store the tokens and cookies that come back.
struct Login: ProfileCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in at a login or OAuth 2.0 token endpoint and store the credentials.",
        discussion: """
            The body is {"username":…,"password":…} from --user and --password-stdin or \
            --password-env (--form for a form body), a raw -d/--data body, or an OAuth 2.0 \
            token request (--grant). Tokens are found at the usual places in the answer or \
            at --token-path; Set-Cookie cookies are stored (never -b cookies) and checked against --ws-url. \
            Without URL, the profile's login_url is used.

            Interactive OAuth 2.0 (like gh auth login): --issuer URL finds the endpoints \
            in /.well-known/openid-configuration (else oauth-authorization-server, RFC 8414) \
            and keeps them, so refresh and logout need no URL. --grant authorization_code \
            prints the authorization URL and opens it ($BROWSER, else xdg-open when there \
            is a display; not with --no-browser), with PKCE S256 and a redirect to 127.0.0.1 \
            on a free port; a request to it that is not the callback with wsauth's state \
            gets 400 and the wait goes on. The metadata must name the --issuer asked \
            for and https:// endpoints (http:// only on a loopback host), else exit 3. \
            --grant device_code prints the verification URI and user code and polls the \
            token endpoint. Both wait at most --timeout (default 5m, then exit 5); a \
            refusal (access_denied, expired_token) exits 2.
            """
    )

    /// A profile's `timeout` is connect's (docs/reference/profile-keys.md); login's wait is a flag.
    static let flagOnlyKeys: Set<String> = ["timeout"]

    @Argument(help: "The login endpoint (default: the profile's login_url).")
    var url: String?

    @OptionGroup var credentials: LoginCredentials
    @Option(
        help: ArgumentHelp(
            "The authorization server: its endpoints are found in its metadata (OpenID Connect Discovery, RFC 8414).",
            valueName: "URL"
        )
    )
    var issuer: String?
    @Option(
        help: ArgumentHelp("The API to ask a token for, for providers that need it (Auth0).", valueName: "AUDIENCE")
    )
    var audience: String?
    @Flag(name: .customLong("no-browser"), help: "Only print the authorization URL; do not open a browser.")
    var noBrowser = false
    @Option(
        help: ArgumentHelp("How long to wait for the user to log in (default 5m).", valueName: "DURATION"),
        transform: TimeSpan.read
    )
    var timeout: TimeSpan?
    @Option(help: "OAuth 2.0 scope.")
    var scope: String?
    @OptionGroup var endpoint: TokenEndpointFlags

    @Option(
        name: .customLong("ws-url"),
        help: ArgumentHelp(
            "The WebSocket URL the session is for: remembered, so connect, probe and audit without a URL use it, and its host may receive the stored credentials (cookies are checked against it).",
            valueName: "URL"
        )
    )
    var wsURL: String?
    @Option(
        name: .customLong("refresh-url"),
        help: ArgumentHelp("Where `wsauth refresh` and reconnects refresh.", valueName: "URL")
    )
    var refreshURL: String?

    @OptionGroup var profileFlags: ProfileFlags
    @OptionGroup var outputFlags: OutputFlags
    @OptionGroup var transport: TransportFlags

    func run() throws {
        let output = Output(json: outputFlags.json, showSecrets: outputFlags.showSecrets, humanEventsToStdout: true)
        try output.run { () throws(Failure) in
            let context = try ProfileContext(try ProfileName.select(flag: profileFlags.profile))
            if let interactive = interactiveGrant {
                try runInteractive(interactive, context: context, output: output)
                return
            }
            let metadata = try discover(output: output)
            guard let url = metadata?.tokenEndpoint ?? url ?? context.settings.loginURL else {
                throw Failure.usage("no login URL: pass one, or set login_url in profile \(context.profile.name)")
            }
            let request = LoginRequest(
                url: url,
                body: try credentials.body(output: output, endpoint: endpoint, scope: scope),
                paths: endpoint.tokenPaths,
                webSocket: try wsURL.map { text throws(Failure) in try WebSocketURL.parse(text) },
                refresh: refreshEndpoint,
                revocationURL: metadata?.revocationEndpoint
            )
            let flow = LoginFlow(store: context.store, transport: try options(for: self.url ?? issuer ?? url))
            report(try flow.run(request) { output.report($0) }, store: context.store, output: output)
        }
    }

    func report(_ credentials: Credentials, store: CredentialStore, output: Output) {
        output.redactor.register(credentials.secrets)
        if let jwt = credentials.accessToken.flatMap({ JWT.decode($0.reveal()) }), !jwt.summary.isEmpty {
            output.line("claims: \(jwt.summary)")
        }
        if credentials.refreshToken != nil { output.line("refresh token stored") }
        if credentials.idToken != nil { output.line("ID token stored (wsauth token --decode --id shows its claims)") }
        output.line("stored in \(store.file)")
    }

    private var refreshEndpoint: RefreshEndpoint? {
        refreshURL.map {
            RefreshEndpoint(url: $0, style: endpoint.style ?? .json, field: endpoint.field, clientID: endpoint.clientID)
        }
    }
}

/// What `wsauth login` posts: the user and password, a raw body or the grant. Also read
/// from the profile alone (`ProfileKeys.parse(LoginCredentials.self, …)`) by audit's
/// throwaway login, so that no command parses another command.
struct LoginCredentials: ProfileReader {
    static let tableName = "login-credentials"

    @Option(help: "The user name.")
    var user: String?
    @OptionGroup var password: SecretSourceFlags<PasswordSecret>
    @Flag(help: "Send --user and the password as application/x-www-form-urlencoded.")
    var form = false
    @Option(name: [.customShort("d"), .long], help: ArgumentHelp("Raw JSON body, or @FILE.", valueName: "JSON|@FILE"))
    var data: String?

    @Option(
        help: ArgumentHelp(
            "OAuth 2.0 grant: password, client_credentials (RFC 6749), authorization_code (with PKCE, RFC 7636) or device_code (RFC 8628).",
            valueName: "GRANT"
        )
    )
    var grant: LoginGrant?

    /// What is posted: from the flags, which hold the profile's settings too (Main).
    func body(output: Output, endpoint: TokenEndpointFlags, scope: String?) throws(Failure) -> LoginBody {
        func readPassword() throws(Failure) -> Secret? {
            guard let secret = try self.password.read() else { return nil }
            output.redactor.register(secret)
            return secret
        }
        if let grant, case .token(let grant) = grant.kind {
            let secret = try endpoint.clientSecret.read()
            if let secret { output.redactor.register(secret) }
            if grant == .password, user == nil || !password.isGiven {
                throw Failure.usage("--grant password needs --user and --password-stdin or --password-env")
            }
            if grant == .clientCredentials, endpoint.clientID == nil {
                throw Failure.usage("--grant client_credentials needs --client-id (and usually --client-secret-env)")
            }
            return .oauth(
                grant: grant,
                user: user,
                password: try readPassword(),
                clientID: endpoint.clientID,
                clientSecret: secret,
                scope: scope
            )
        }
        if let data {
            // -d on the command line leaves out the profile's user and password (ProfileKeys.alternatives).
            guard user == nil, !password.isGiven else {
                throw Failure.usage("give either -d/--data or --user with a password, not both")
            }
            if data.hasPrefix("@") {
                let path = String(data.dropFirst())
                guard let bytes = try FileIO.readBytes(path) else { throw Failure.usage("-d @\(path): no such file") }
                return .raw(bytes)
            }
            return .raw(Array(data.utf8))
        }
        guard let user else {
            throw Failure.usage(
                "nothing to log in with: pass --user NAME with --password-stdin or --password-env, -d/--data, or --grant"
            )
        }
        guard let secret = try readPassword() else {
            throw Failure.usage("--user needs a password: --password-stdin, --password-env VAR or --password-file FILE")
        }
        return .credentials(user: user, password: secret, form: form)
    }
}
