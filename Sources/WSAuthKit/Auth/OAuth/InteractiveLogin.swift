/// What both interactive grants need: the server's endpoints, the client, what
/// to ask for, and how long to wait for the user.
public struct InteractiveLogin: Sendable {
    public var metadata: OAuthMetadata
    public var clientID: String
    public var clientSecret: Secret?
    public var scope: String?
    /// Auth0's and others' API identifier; not in RFC 6749, sent only when given.
    public var audience: String?
    /// `--timeout`: the longest wait for the user (default 5m).
    public var timeout: TimeSpan
    public var paths: TokenPaths
    public var webSocket: WebSocketURL?

    public init(
        metadata: OAuthMetadata,
        clientID: String,
        clientSecret: Secret?,
        scope: String?,
        audience: String?,
        timeout: TimeSpan,
        paths: TokenPaths = TokenPaths(),
        webSocket: WebSocketURL? = nil
    ) {
        self.metadata = metadata
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
        self.audience = audience
        self.timeout = timeout
        self.paths = paths
        self.webSocket = webSocket
    }

    /// `scope` and `audience` as request parameters, those given.
    var scopeParameters: [(String, String)] {
        [("scope", scope), ("audience", audience)].compactMap { name, value in value.map { (name, $0) } }
    }

    /// The login request that redeems the grant at the token endpoint and stores
    /// the result; refresh and logout then use the endpoints discovery found.
    func loginRequest(_ exchange: TokenRequest) -> LoginRequest {
        LoginRequest(
            url: metadata.tokenEndpoint,
            body: .exchange(exchange),
            paths: paths,
            webSocket: webSocket,
            revocationURL: metadata.revocationEndpoint
        )
    }

    func exchange(grantType: String?, _ parameters: [(String, String)]) -> TokenRequest {
        TokenRequest(grantType: grantType, parameters: parameters, clientID: clientID, clientSecret: clientSecret)
    }
}
