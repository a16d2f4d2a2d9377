/// The body of a successful login or refresh (RFC 6749 §5.1), with the ID token of
/// an OpenID Connect login (OpenID Connect Core 1.0 §3.1.3.3).
struct TokenResponse: Encodable {
    let access_token: String
    let refresh_token: String?
    let token_type = "Bearer"
    let expires_in: Int
    let id_token: String?
    let scope: String?

    init(_ tokens: IssuedTokens, idToken: String? = nil, scope: String? = nil) {
        self.access_token = tokens.accessToken
        self.refresh_token = tokens.refreshToken
        self.expires_in = tokens.expiresIn
        self.id_token = idToken
        self.scope = scope
    }
}
