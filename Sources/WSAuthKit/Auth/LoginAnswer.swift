/// What a login answer means: the credentials to store and the `login` event,
/// or the failure that refuses it. No I/O: `LoginFlow` sends and stores.
struct LoginAnswer {
    var credentials: Credentials
    var report: LoginReport

    static func interpret(
        _ response: HTTPResponse,
        for request: LoginRequest,
        now: Timestamp
    ) throws(Failure) -> LoginAnswer {
        let setCookies = response.headers("set-cookie").compactMap(SetCookie.parse)
        // A session login often answers 302 to the app with its cookie.
        let redirectWithCookie = (300..<400).contains(response.status) && !setCookies.isEmpty
        guard (200..<300).contains(response.status) || redirectWithCookie else {
            throw EndpointAnswer.failure(
                response,
                what: "login",
                url: request.url,
                hint: "check the user, password or client credentials"
            )
        }
        let (tokens, idToken) = try locateTokens(response, paths: request.paths, hasCookies: !setCookies.isEmpty)
        let jwt = tokens.access.flatMap { JWT.decode($0.reveal()) }
        let idClaims = idToken.flatMap { JWT.decode($0.reveal()) }
        let expiresAt = jwt?.expiresAt ?? tokens.expiresIn.map { now.addingTimeInterval($0) }
        var credentials = Credentials(
            accessToken: tokens.access,
            refreshToken: tokens.refresh,
            tokenType: tokens.tokenType ?? (tokens.access == nil ? nil : "Bearer"),
            expiresAt: expiresAt,
            user: request.user(jwt) ?? idClaims?.user,
            cookies: response.cookies,
            loginCookieNames: setCookies.map(\.name),
            refreshEndpoint: request.refreshEndpoint,
            obtainedAt: now,
            webSocketURL: request.webSocket?.description
        )
        credentials.recordOrigin(request.url)
        credentials.idToken = idToken
        credentials.revocationURL = request.revocationURL

        let loginURL = URLParts(request.url)
        let warnings = setCookies.flatMap {
            CookieAudit.warnings(
                for: $0,
                loginHost: loginURL.host,
                loginPath: loginURL.path,
                webSocket: request.webSocket,
                onlyCookie: setCookies.count == 1
            )
        }
        let report = LoginReport(
            ok: true,
            user: credentials.user,
            tokenType: credentials.tokenType,
            expiresAt: expiresAt,
            cookies: setCookies.map(\.name),
            warnings: warnings
        )
        return LoginAnswer(credentials: credentials, report: report)
    }

    /// The tokens of the body (and the OpenID Connect ID token); a body that is
    /// not JSON is fine when a cookie was set (docs/reference/behaviour.md "Sessions").
    private static func locateTokens(
        _ response: HTTPResponse,
        paths: TokenPaths,
        hasCookies: Bool
    ) throws(Failure) -> (LocatedTokens, Secret?) {
        var tokens = LocatedTokens()
        var idToken: Secret?
        switch EndpointAnswer.json(response) {
        case .success(let json):
            tokens = try TokenLocator.locate(in: json, paths: paths)
            try EndpointAnswer.checkHeaderSafe(tokens, what: "login")
            // OpenID Connect Core §3.1.3.3: kept for `token --decode --id`.
            idToken = json["id_token"]?.stringValue.map(Secret.init)
        case .failure(let failure):
            guard hasCookies else { throw failure.prefixed("login answer unusable: ") }
        }
        if tokens.access == nil, !hasCookies {
            let looked = "access_token, data.access_token, token, tokens.access_token, accessToken …"
            throw Failure(
                .protocol,
                "login answer holds no access token (looked at \(looked)) and set no cookie; pass --token-path PATH"
            )
        }
        return (tokens, idToken)
    }
}

extension LoginRequest {
    /// Who logged in: the user sent, else the token's subject (a client's own id
    /// for client credentials).
    func user(_ jwt: JWT?) -> String? {
        switch body {
        case .credentials(let user, _, _): return user
        case .oauth(_, let user?, _, _, _, _): return user
        case .oauth(.clientCredentials, _, _, let clientID, _, _): return jwt?.user ?? clientID
        default: return jwt?.user
        }
    }

    /// Where to refresh: as given, else an OAuth login's own token endpoint.
    var refreshEndpoint: RefreshEndpoint? {
        if let refresh { return refresh }
        switch body {
        case .oauth(_, _, _, let clientID, _, _):
            return RefreshEndpoint(url: url, style: .oauth2, clientID: clientID)
        case .exchange(let exchange):
            return RefreshEndpoint(url: url, style: .oauth2, clientID: exchange.clientID)
        default:
            return nil
        }
    }
}
