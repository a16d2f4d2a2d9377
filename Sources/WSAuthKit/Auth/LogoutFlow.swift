/// How a revocation request is shaped (`logout --revoke-style`).
public enum RevokeStyle: String, Sendable, CaseIterable {
    /// RFC 7009 §2.1: a form `token=…&token_type_hint=…`, with client authentication.
    case rfc7009
    /// A JSON body `{"refresh_token":…}`, as many hand-written logout endpoints take.
    case json
}

/// Forgets a profile's credentials, after asking the server to revoke them when
/// a revocation URL is known.
public struct LogoutFlow: Sendable {
    public var store: CredentialStore
    public var transport: TransportOptions
    public var style = RevokeStyle.rfc7009
    /// The OAuth 2.0 client; nil uses the one recorded at login.
    public var clientID: String?
    /// With a secret the client authenticates with HTTP Basic (RFC 6749 §2.3.1).
    public var clientSecret: Secret?
    /// The profile's hosts: a revocation URL outside them is refused (64) before
    /// anything is sent or forgotten. Nil only for a store that belongs to no profile (the demo's).
    public var binding: ProfileBinding?
    public var http: any HTTPExecutor

    /// `http` nil sends with libcurl (`HTTPClient`).
    public init(store: CredentialStore, transport: TransportOptions, http: (any HTTPExecutor)? = nil) {
        self.store = store
        self.transport = transport
        self.http = http ?? HTTPClient(options: transport)
    }

    /// `revokeURL` nil falls back to the revocation endpoint discovery found at
    /// login (`login --issuer`, RFC 8414 `revocation_endpoint`).
    /// True when credentials were stored. The local copy is removed even when the
    /// server refuses the revocation; that refusal is then thrown, so the exit
    /// status says the server may still accept the tokens.
    public func run(revokeURL: String?, emit: (Event) -> Void) throws(Failure) -> Bool {
        try store.locked { (transaction: inout CredentialStore.Transaction) throws(Failure) -> Bool in
            guard let current = try transaction.read().credentials else {
                return try transaction.delete()
            }
            emit(Event(.secrets(current.secrets)))
            let revokeURL = revokeURL ?? current.revocationURL
            if let revokeURL, let binding {
                try binding.scope(of: current).require(
                    revokeURL,
                    for: "the revocation URL",
                    profile: store.profile,
                    configFile: binding.configFile
                )
            }
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

    /// Revokes at `url`. Both styles carry the cookies, which session logouts need.
    func revoke(_ credentials: Credentials, url: String, emit: (Event) -> Void) throws(Failure) {
        let response = try http.exchange(httpRequest(credentials, url: url), cookies: credentials.cookies, emit: emit)
        try LogoutFlow.interpret(response, url: url)
    }

    /// RFC 7009 §2.2: any 2xx is a revocation (200 also for a token already
    /// invalid); anything else leaves the tokens possibly valid.
    static func interpret(_ response: HTTPResponse, url: String) throws(Failure) {
        guard (200..<300).contains(response.status) else {
            throw EndpointAnswer.failure(
                response,
                what: "revocation",
                url: url,
                hint: "the server may still accept the tokens"
            )
        }
    }

    /// RFC 7009 §2.1: the refresh token, whose revocation takes its access tokens
    /// with it, else the access token, each with its `token_type_hint`; a client
    /// with a secret authenticates with HTTP Basic, one without names itself in
    /// `client_id` and the access token goes as a Bearer token (what session
    /// logouts check). The JSON style sends `{"refresh_token":…}` and the Bearer token.
    func httpRequest(_ credentials: Credentials, url: String) -> HTTPRequest {
        var headers = [HTTPHeader(name: "Accept", value: "application/json")]
        let bearer = credentials.accessToken.map {
            HTTPHeader(name: "Authorization", value: "\(credentials.tokenType ?? "Bearer") \($0.reveal())")
        }
        let body: String
        switch style {
        case .rfc7009:
            headers.append(HTTPHeader(name: "Content-Type", value: "application/x-www-form-urlencoded"))
            var pairs: [(String, String)] = []
            if let (token, hint) = credentials.refreshToken.map({ ($0, "refresh_token") })
                ?? credentials.accessToken.map({ ($0, "access_token") })
            {
                pairs = [("token", token.reveal()), ("token_type_hint", hint)]
            }
            let clientID = self.clientID ?? credentials.refreshEndpoint?.clientID
            let authenticated = ClientAuthentication.apply(
                clientID: clientID,
                secret: clientSecret,
                to: .revocation,
                headers: &headers,
                form: &pairs
            )
            if !authenticated, let bearer { headers.append(bearer) }
            body = URLEncoding.form(pairs)
        case .json:
            if let bearer { headers.append(bearer) }
            headers.append(HTTPHeader(name: "Content-Type", value: "application/json"))
            body = JSONValue.object(credentials.refreshToken.map { [("refresh_token", .string($0.reveal()))] } ?? [])
                .serialized()
        }
        return HTTPRequest(method: "POST", url: url, headers: headers, body: Array(body.utf8))
    }
}
