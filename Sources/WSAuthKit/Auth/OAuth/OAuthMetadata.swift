/// The endpoints of an authorization server, as its metadata document names
/// them (RFC 8414 §2; OpenID Connect Discovery 1.0 §3 uses the same names).
public struct OAuthMetadata: Sendable, Equatable {
    public var issuer: String
    public var authorizationEndpoint: String?
    public var tokenEndpoint: String
    public var deviceAuthorizationEndpoint: String?
    public var revocationEndpoint: String?

    public init(
        issuer: String,
        authorizationEndpoint: String? = nil,
        tokenEndpoint: String,
        deviceAuthorizationEndpoint: String? = nil,
        revocationEndpoint: String? = nil
    ) {
        self.issuer = issuer
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint
        self.revocationEndpoint = revocationEndpoint
    }

    /// The document's issuer and endpoints (an issuer it does not name is ""); nil
    /// when it names no token endpoint.
    static func parse(_ json: JSONValue) -> OAuthMetadata? {
        guard let token = json["token_endpoint"]?.stringValue else { return nil }
        return OAuthMetadata(
            issuer: json["issuer"]?.stringValue ?? "",
            authorizationEndpoint: json["authorization_endpoint"]?.stringValue,
            tokenEndpoint: token,
            deviceAuthorizationEndpoint: json["device_authorization_endpoint"]?.stringValue,
            revocationEndpoint: json["revocation_endpoint"]?.stringValue
        )
    }

    /// The endpoints named, by their metadata names.
    var endpoints: [(name: String, url: String)] {
        [
            ("authorization_endpoint", authorizationEndpoint), ("token_endpoint", tokenEndpoint),
            ("device_authorization_endpoint", deviceAuthorizationEndpoint), ("revocation_endpoint", revocationEndpoint),
        ]
        .compactMap { name, url in url.map { (name, $0) } }
    }

    /// Trusts the document only as far as it can be: its `issuer` must be the one
    /// asked for (RFC 8414 §3.3, OpenID Connect Discovery §4.3: else a document
    /// served elsewhere could stand in for the issuer's), and every endpoint must
    /// be https, or http on a loopback host (`CleartextWarning.isLoopback`): the
    /// client secret, the password and the tokens go there, and the authorization
    /// endpoint is handed to a browser. Exit 3 (the answer cannot be used).
    func check(asked issuer: String, document url: String) throws(Failure) {
        guard OAuthMetadata.sameIssuer(self.issuer, issuer) else {
            let named = self.issuer.isEmpty ? "no issuer" : "issuer \(self.issuer)"
            throw Failure(
                .protocol,
                "refused the metadata at \(url): it names \(named), not the --issuer \(issuer) asked for (RFC 8414 §3.3); check --issuer"
            )
        }
        for (name, endpoint) in endpoints where !OAuthMetadata.trustedScheme(endpoint) {
            throw Failure(
                .protocol,
                "refused the metadata of \(issuer): its \(name) \(endpoint) is not https:// (http:// only on a loopback host); nothing was sent there"
            )
        }
    }

    /// Identical, but for a trailing "/" (how the issuer was typed, not another issuer).
    static func sameIssuer(_ named: String, _ asked: String) -> Bool {
        func trimmed(_ text: String) -> Substring { text.hasSuffix("/") ? text.dropLast() : Substring(text) }
        return !named.isEmpty && trimmed(named) == trimmed(asked)
    }

    static func trustedScheme(_ url: String) -> Bool {
        let scheme = url.prefix { $0 != ":" }.lowercased()
        guard url.dropFirst(scheme.count).hasPrefix("://") else { return false }
        return scheme == "https" || (scheme == "http" && CleartextWarning.isLoopback(URLParts(url).host))
    }
}

/// `login --issuer URL`: finds the endpoints in the issuer's metadata.
public enum OAuthDiscovery {
    /// Where the documents are, first found wins: OpenID Connect Discovery §4
    /// appends its path to the issuer; RFC 8414 §3 inserts its well-known path
    /// between the host and the issuer's path (the same URL for an issuer
    /// without a path).
    static func documentURLs(issuer: String) -> [String] {
        let trimmed = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        var urls = [trimmed + "/.well-known/openid-configuration"]
        if let schemeEnd = trimmed.firstRange(of: "://") {
            let rest = trimmed[schemeEnd.upperBound...]
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let origin = trimmed[..<slash]
            urls.append(origin + "/.well-known/oauth-authorization-server" + rest[slash...])
        }
        return urls
    }

    public static func discover(
        issuer: String,
        transport: TransportOptions,
        http: (any HTTPExecutor)? = nil,
        emit: (Event) -> Void
    ) throws(Failure) -> OAuthMetadata {
        guard issuer.lowercased().hasPrefix("https://") || issuer.lowercased().hasPrefix("http://") else {
            throw Failure.usage("invalid --issuer '\(issuer)': give the issuer's http(s) URL")
        }
        let http = http ?? HTTPClient(options: transport)
        var tried: [String] = []
        for url in documentURLs(issuer: issuer) {
            let response = try http.exchange(documentRequest(url), cookies: [], emit: emit)
            guard let metadata = interpret(response) else {
                tried.append("\(url) (HTTP \(response.status))")
                continue
            }
            try metadata.check(asked: issuer, document: url)
            emit(Event(.note("discovered the endpoints of \(metadata.issuer) at \(url)")))
            return metadata
        }
        throw Failure(
            .protocol,
            "no OAuth 2.0 metadata with a token_endpoint at \(tried.joined(separator: ", ")); check --issuer"
        )
    }

    static func documentRequest(_ url: String) -> HTTPRequest {
        HTTPRequest(url: url, headers: [HTTPHeader(name: "Accept", value: "application/json")])
    }

    /// The metadata a document holds; nil (try the next place) for a non-2xx,
    /// a body that is not JSON, or one without a token endpoint.
    static func interpret(_ response: HTTPResponse) -> OAuthMetadata? {
        guard (200..<300).contains(response.status), case .success(let json) = EndpointAnswer.json(response) else {
            return nil
        }
        return OAuthMetadata.parse(json)
    }
}
