/// Everything `wsauth serve` and `wsauth demo` can change about the reference server.
///
/// The defaults are the safe behaviour; the four `Bool` switches turn on deliberately
/// insecure behaviours so that `wsauth audit` has something to find.
public struct ReferenceServerConfiguration: Sendable {
    /// Interface to bind; loopback unless the user asks otherwise.
    public var host: String
    /// TCP port; 0 lets the kernel pick a free one (read it back from `ReferenceServer.port`).
    public var port: Int
    /// Lifetime of an access token (a JWT). Its `exp` is whole seconds (RFC 7519 §2
    /// NumericDate), rounded up, so a token lives at least this long.
    public var tokenTTL: Duration
    /// Lifetime of a refresh token and the idle lifetime of a session.
    public var refreshTTL: Duration
    /// Users, name to password. Each is also an OAuth 2.0 confidential client whose
    /// secret is its password (for `grant_type=client_credentials`).
    public var users: [String: String]
    /// HMAC key for the access tokens; a fresh random one per server when nil.
    public var secret: String?
    /// Origins (`scheme://host[:port]`) allowed to open `/ws` besides the server's own.
    public var allowedOrigins: [String]
    /// Insecure: accept an expired access token at the handshake.
    public var acceptExpired: Bool
    /// Insecure: keep a socket open after its token expires (no close 4001).
    public var noExpiryClose: Bool
    /// Insecure: accept `?token=` on `/ws` (query strings end up in logs, RFC 6750 §5.3).
    public var allowQueryToken: Bool
    /// Insecure: accept a handshake from any `Origin` (cross-site WebSocket hijacking).
    public var ignoreOrigin: Bool
    /// How long `/ws?auth=message` waits for the auth message, and `/socket.io/` for an
    /// accepted CONNECT, before closing with 4401.
    public var authMessageTimeout: Duration
    /// Receives one line per request and per socket event, secrets already redacted.
    public var log: @Sendable (String) -> Void

    /// The demo users printed by `wsauth serve`.
    public static let demoUsers = ["alice": "wonderland", "bob": "builder"]

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        tokenTTL: Duration = .seconds(300),
        refreshTTL: Duration = .seconds(86_400),
        users: [String: String] = ReferenceServerConfiguration.demoUsers,
        secret: String? = nil,
        allowedOrigins: [String] = [],
        acceptExpired: Bool = false,
        noExpiryClose: Bool = false,
        allowQueryToken: Bool = false,
        ignoreOrigin: Bool = false,
        authMessageTimeout: Duration = .seconds(10),
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.tokenTTL = tokenTTL
        self.refreshTTL = refreshTTL
        self.users = users
        self.secret = secret
        self.allowedOrigins = allowedOrigins
        self.acceptExpired = acceptExpired
        self.noExpiryClose = noExpiryClose
        self.allowQueryToken = allowQueryToken
        self.ignoreOrigin = ignoreOrigin
        self.authMessageTimeout = authMessageTimeout
        self.log = log
    }
}
