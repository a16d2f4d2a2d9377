/// How a refresh request is shaped.
public enum RefreshStyle: String, Sendable, CaseIterable {
    /// A JSON body `{"refresh_token": …}` (the field name configurable).
    case json
    /// RFC 6749 §6: a form body `grant_type=refresh_token&refresh_token=…`.
    case oauth2
}

/// Where and how to refresh, learnt at login so that a later `refresh` or a
/// reconnect works without repeating the flags (docs/reference/behaviour.md `--reconnect`).
public struct RefreshEndpoint: Sendable, Equatable {
    public var url: String
    public var style: RefreshStyle
    /// The JSON field of the refresh token (json style); nil means `refresh_token`.
    public var field: String?
    /// The OAuth 2.0 client, sent again on refresh (RFC 6749 §6).
    public var clientID: String?

    public init(url: String, style: RefreshStyle, field: String? = nil, clientID: String? = nil) {
        self.url = url
        self.style = style
        self.field = field
        self.clientID = clientID
    }
}

/// What the store keeps for one profile.
public struct Credentials: Sendable {
    public var accessToken: Secret?
    public var refreshToken: Secret?
    public var tokenType: String?
    /// From the JWT's `exp`, else `expires_in`, else unknown.
    public var expiresAt: Timestamp?
    public var user: String?
    /// The cookies login and refresh answers set (`Set-Cookie`, never `-b`'s),
    /// stored as Netscape cookie-file lines.
    public var cookies: [NetscapeCookie]
    /// Names of the cookies the login answer set (the session rule needs them).
    public var loginCookieNames: [String]
    public var refreshEndpoint: RefreshEndpoint?
    public var obtainedAt: Timestamp
    /// When a refresh last replaced the tokens; single-flight refresh compares it
    /// with its own start to see that another process refreshed meanwhile.
    public var refreshedAt: Timestamp?
    /// The hosts the credentials came from (the login endpoint's, then each
    /// refresh endpoint's): stored credentials go only to these and the hosts
    /// the profile names (`CredentialScope`). Nil in files written before it was kept.
    public var obtainedFrom: [String]?
    /// `login --ws-url`, remembered so that `connect` without a URL uses it.
    public var webSocketURL: String?
    /// The OpenID Connect ID token of an interactive login (`token --decode --id`).
    public var idToken: Secret?
    /// The RFC 7009 revocation endpoint found by discovery (`login --issuer`), for `logout`.
    public var revocationURL: String?

    public init(
        accessToken: Secret?,
        refreshToken: Secret?,
        tokenType: String?,
        expiresAt: Timestamp?,
        user: String?,
        cookies: [NetscapeCookie],
        loginCookieNames: [String],
        refreshEndpoint: RefreshEndpoint?,
        obtainedAt: Timestamp,
        refreshedAt: Timestamp? = nil,
        obtainedFrom: [String]? = nil,
        webSocketURL: String? = nil
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.tokenType = tokenType
        self.expiresAt = expiresAt
        self.user = user
        self.cookies = cookies
        self.loginCookieNames = loginCookieNames
        self.refreshEndpoint = refreshEndpoint
        self.obtainedAt = obtainedAt
        self.refreshedAt = refreshedAt
        self.obtainedFrom = obtainedFrom
        self.webSocketURL = webSocketURL
    }

    /// Records that tokens came from `url`'s host.
    mutating func recordOrigin(_ url: String) {
        let host = CredentialScope.normalized(URLParts(url).host)
        var hosts = obtainedFrom ?? []
        if !hosts.contains(host) { hosts.append(host) }
        obtainedFrom = hosts
    }

    /// True when the access token is gone or expires within `margin` of `now`.
    /// A token of unknown expiry is taken as good: nothing says otherwise.
    public func expires(within margin: TimeSpan, now: Timestamp = Timestamp.now) -> Bool {
        guard accessToken != nil else { return refreshToken != nil }
        guard let expiresAt else { return false }
        return expiresAt.timeIntervalSince(now) <= margin.seconds
    }

    /// Names of the stored cookies.
    public var cookieNames: [String] {
        cookies.map(\.name)
    }
}

// MARK: - The file format

extension Credentials {
    static let formatVersion = 1

    /// The store's JSON. Secrets are written raw: the file is 0600 and is the one
    /// place they must survive.
    func json() -> JSONValue {
        var fields: [(String, JSONValue)] = [("version", .int(Credentials.formatVersion))]
        fields.append(("access_token", accessToken.map { .string($0.reveal()) } ?? .null))
        fields.append(("refresh_token", refreshToken.map { .string($0.reveal()) } ?? .null))
        fields.append(("token_type", .optional(tokenType)))
        // NumericDate, as JWT's exp (RFC 7519 §2): seconds since the epoch.
        fields.append(("expires_at", expiresAt.map { .number($0.timeIntervalSince1970) } ?? .null))
        fields.append(("user", .optional(user)))
        fields.append(("cookies", .array(cookies.map { .string($0.line) })))
        fields.append(("login_cookies", .array(loginCookieNames.map(JSONValue.string))))
        if let endpoint = refreshEndpoint {
            var refresh: [(String, JSONValue)] = [
                ("url", .string(endpoint.url)), ("style", .string(endpoint.style.rawValue)),
            ]
            if let field = endpoint.field { refresh.append(("field", .string(field))) }
            if let clientID = endpoint.clientID { refresh.append(("client_id", .string(clientID))) }
            fields.append(("refresh", .object(refresh)))
        } else {
            fields.append(("refresh", .null))
        }
        fields.append(("obtained_at", .number(obtainedAt.timeIntervalSince1970)))
        fields.append(("refreshed_at", refreshedAt.map { .number($0.timeIntervalSince1970) } ?? .null))
        if let obtainedFrom { fields.append(("obtained_from", .array(obtainedFrom.map(JSONValue.string)))) }
        if let webSocketURL { fields.append(("ws_url", .string(webSocketURL))) }
        if let idToken { fields.append(("id_token", .string(idToken.reveal()))) }
        if let revocationURL { fields.append(("revocation_url", .string(revocationURL))) }
        return .object(fields)
    }

    /// Reads the store's JSON; the reason is returned for a file that is not ours.
    static func parse(_ json: JSONValue) -> Result<Credentials, StoreFormatError> {
        guard case .object = json else { return .failure(StoreFormatError("not a JSON object")) }
        guard let version = json["version"]?.numberValue, Int(exactly: version) == formatVersion else {
            return .failure(StoreFormatError("unknown format version"))
        }
        func optionalString(_ key: String) -> Result<String?, StoreFormatError> {
            switch json[key] {
            case nil, .null?: .success(nil)
            case .string(let s)?: .success(s)
            default: .failure(StoreFormatError("'\(key)' is not a string"))
            }
        }
        func optionalDate(_ key: String) -> Result<Timestamp?, StoreFormatError> {
            switch json[key] {
            case nil, .null?: .success(nil)
            case .number(let n)?: .success(Timestamp(timeIntervalSince1970: n))
            default: .failure(StoreFormatError("'\(key)' is not a number"))
            }
        }
        func strings(_ key: String) -> Result<[String], StoreFormatError> {
            guard case .array(let items)? = json[key] else {
                return .failure(StoreFormatError("'\(key)' is not an array"))
            }
            var result: [String] = []
            for item in items {
                guard let s = item.stringValue else { return .failure(StoreFormatError("'\(key)' holds a non-string")) }
                result.append(s)
            }
            return .success(result)
        }
        do throws(StoreFormatError) {
            var endpoint: RefreshEndpoint?
            if case .object? = json["refresh"], let refresh = json["refresh"] {
                guard let url = refresh["url"]?.stringValue,
                    let style = refresh["style"]?.stringValue.flatMap(RefreshStyle.init(rawValue:))
                else { return .failure(StoreFormatError("'refresh' lacks a url or a known style")) }
                endpoint = RefreshEndpoint(
                    url: url,
                    style: style,
                    field: refresh["field"]?.stringValue,
                    clientID: refresh["client_id"]?.stringValue
                )
            }
            guard let obtained = try optionalDate("obtained_at").get() else {
                return .failure(StoreFormatError("'obtained_at' is missing"))
            }
            let obtainedFrom: [String]? = json["obtained_from"] == nil ? nil : try strings("obtained_from").get()
            var credentials = Credentials(
                accessToken: try optionalString("access_token").get().map(Secret.init),
                refreshToken: try optionalString("refresh_token").get().map(Secret.init),
                tokenType: try optionalString("token_type").get(),
                expiresAt: try optionalDate("expires_at").get(),
                user: try optionalString("user").get(),
                // Lines that are not cookies were never sent (every reader parsed them).
                cookies: try strings("cookies").get().compactMap(NetscapeCookie.parse),
                loginCookieNames: try strings("login_cookies").get(),
                refreshEndpoint: endpoint,
                obtainedAt: obtained,
                refreshedAt: try optionalDate("refreshed_at").get(),
                obtainedFrom: obtainedFrom,
                webSocketURL: try optionalString("ws_url").get()
            )
            credentials.idToken = try optionalString("id_token").get().map(Secret.init)
            credentials.revocationURL = try optionalString("revocation_url").get()
            return .success(credentials)
        } catch {
            return .failure(error)
        }
    }
}

struct StoreFormatError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
