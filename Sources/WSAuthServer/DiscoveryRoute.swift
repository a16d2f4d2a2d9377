import Hummingbird

/// Where the OAuth 2.0 endpoints of this server are.
enum OAuthPaths {
    static let authorize = "/authorize"
    static let token = "/oauth/token"
    static let deviceAuthorization = "/device/code"
    static let deviceVerification = "/device"
    static let revocation = "/oauth/revoke"

    /// The issuer is the origin the client reached us at (its `Host`): the server may
    /// listen on a port the kernel picked, or on 0.0.0.0 behind any name. A `Host`
    /// with characters no host has falls back to loopback.
    static func issuer(of request: Request) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        guard let authority = request.head.authority, !authority.isEmpty, authority.allSatisfy(allowed.contains) else {
            return "http://127.0.0.1"
        }
        return "http://\(authority)"
    }
}

/// The authorization server metadata (RFC 8414 §2), served at both well-known
/// paths: OpenID Connect Discovery 1.0 §4 and RFC 8414 §3.
struct DiscoveryRoute: Sendable {
    private struct Metadata: Encodable {
        let issuer: String
        let authorization_endpoint: String
        let token_endpoint: String
        let device_authorization_endpoint: String
        let revocation_endpoint: String
        let response_types_supported = ["code"]
        let grant_types_supported = [
            "authorization_code", DeviceCodeGrant.grantType, "refresh_token", "password", "client_credentials",
        ]
        let code_challenge_methods_supported = [PKCEChallenge.method]
        let token_endpoint_auth_methods_supported = ["none", "client_secret_basic", "client_secret_post"]
        let scopes_supported = ["openid", "profile"]
        let subject_types_supported = ["public"]
        /// Signed with the server's own HMAC key: decode them, do not trust them.
        let id_token_signing_alg_values_supported = ["HS256"]

        init(issuer: String) {
            self.issuer = issuer
            authorization_endpoint = issuer + OAuthPaths.authorize
            token_endpoint = issuer + OAuthPaths.token
            device_authorization_endpoint = issuer + OAuthPaths.deviceAuthorization
            revocation_endpoint = issuer + OAuthPaths.revocation
        }
    }

    func register(on router: Router<some RequestContext>) {
        for path in ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"] {
            router.get(RouterPath(path)) { request, _ in
                JSONResponse.make(Metadata(issuer: OAuthPaths.issuer(of: request)))
            }
        }
    }
}
