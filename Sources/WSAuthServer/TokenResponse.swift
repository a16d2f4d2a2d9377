/// The body of a successful login or refresh (RFC 6749 §5.1).
struct TokenResponse: Encodable {
    let access_token: String
    let refresh_token: String?
    let token_type = "Bearer"
    let expires_in: Int

    init(_ tokens: IssuedTokens) {
        self.access_token = tokens.accessToken
        self.refresh_token = tokens.refreshToken
        self.expires_in = tokens.expiresIn
    }
}
