/// Forgets a profile's credentials, after asking the server to revoke them when
/// a revocation URL is known.
public struct LogoutFlow: Sendable {
    public var store: CredentialStore
    public var transport: TransportOptions

    public init(store: CredentialStore, transport: TransportOptions) {
        self.store = store; self.transport = transport
    }

    /// True when credentials were stored. The local copy is removed even when the
    /// server refuses the revocation; that refusal is then thrown, so the exit
    /// status says the server may still accept the tokens.
    public func run(revokeURL: String?, emit: (Event) -> Void) throws(Failure) -> Bool {
        try store.locked { (transaction: inout CredentialStore.Transaction) throws(Failure) -> Bool in
            guard let current = try transaction.read().credentials else {
                return try transaction.delete()
            }
            emit(Event(.secrets(current.secrets)))
            var revocationFailure: Failure?
            if let revokeURL {
                do throws(Failure) {
                    try revoke(current, url: revokeURL, emit: emit)
                    emit(Event(.note("revoked at \(revokeURL)")))
                } catch {
                    revocationFailure = error
                }
            }
            _ = try transaction.delete()
            if let revocationFailure {
                throw revocationFailure.prefixed("forgot the stored credentials, but ")
            }
            return true
        }
    }

    /// RFC 7009 §2.1 for OAuth 2.0 credentials (the refresh token, whose revocation
    /// takes the access tokens with it); otherwise a JSON body with the refresh
    /// token. Both carry the access token and the cookies, which session logouts need.
    func revoke(_ credentials: Credentials, url: String, emit: (Event) -> Void) throws(Failure) {
        var headers = [HTTPHeader(name: "Accept", value: "application/json")]
        if let access = credentials.accessToken {
            headers.append(HTTPHeader(name: "Authorization", value: "\(credentials.tokenType ?? "Bearer") \(access.reveal())"))
        }
        let body: String
        if credentials.refreshEndpoint?.style == .oauth2 {
            headers.append(HTTPHeader(name: "Content-Type", value: "application/x-www-form-urlencoded"))
            let (token, hint) = credentials.refreshToken.map { ($0, "refresh_token") }
                ?? (credentials.accessToken ?? Secret(""), "access_token")
            var pairs = [("token", token.reveal()), ("token_type_hint", hint)]
            if let clientID = credentials.refreshEndpoint?.clientID { pairs.append(("client_id", clientID)) }
            body = URLEncoding.form(pairs)
        } else {
            headers.append(HTTPHeader(name: "Content-Type", value: "application/json"))
            body = JSONValue.object(credentials.refreshToken.map { [("refresh_token", .string($0.reveal()))] } ?? []).serialized()
        }
        let request = HTTPRequest(method: "POST", url: url, headers: headers, body: Array(body.utf8))
        HTTPTrace.request(request, transport: transport, emit: emit)
        let response = try HTTPClient(options: transport).perform(request, cookies: credentials.cookies)
        HTTPTrace.response(response, transport: transport, emit: emit)
        guard (200..<300).contains(response.status) else {
            throw EndpointAnswer.failure(response, what: "revocation", url: url, hint: "the server may still accept the tokens")
        }
    }
}
