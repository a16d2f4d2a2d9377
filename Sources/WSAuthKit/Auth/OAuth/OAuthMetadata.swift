/// The endpoints of an authorization server, as its metadata document names
/// them (RFC 8414 §2; OpenID Connect Discovery 1.0 §3 uses the same names).
public struct OAuthMetadata: Sendable, Equatable {
    public var issuer: String
    public var authorizationEndpoint: String?
    public var tokenEndpoint: String
    public var deviceAuthorizationEndpoint: String?
    public var revocationEndpoint: String?

    public init(issuer: String, authorizationEndpoint: String? = nil, tokenEndpoint: String,
                deviceAuthorizationEndpoint: String? = nil, revocationEndpoint: String? = nil) {
        self.issuer = issuer; self.authorizationEndpoint = authorizationEndpoint; self.tokenEndpoint = tokenEndpoint
        self.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint; self.revocationEndpoint = revocationEndpoint
    }

    /// The document's endpoints; nil when it names no token endpoint.
    static func parse(_ json: JSONValue, issuer: String) -> OAuthMetadata? {
        guard let token = json["token_endpoint"]?.stringValue else { return nil }
        return OAuthMetadata(
            issuer: json["issuer"]?.stringValue ?? issuer,
            authorizationEndpoint: json["authorization_endpoint"]?.stringValue,
            tokenEndpoint: token,
            deviceAuthorizationEndpoint: json["device_authorization_endpoint"]?.stringValue,
            revocationEndpoint: json["revocation_endpoint"]?.stringValue)
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

    public static func discover(issuer: String, transport: TransportOptions, http: (any HTTPExecutor)? = nil,
                                emit: (Event) -> Void) throws(Failure) -> OAuthMetadata {
        guard issuer.lowercased().hasPrefix("https://") || issuer.lowercased().hasPrefix("http://") else {
            throw Failure.usage("invalid --issuer '\(issuer)': give the issuer's http(s) URL")
        }
        let http = http ?? HTTPClient(options: transport)
        var tried: [String] = []
        for url in documentURLs(issuer: issuer) {
            let response = try http.exchange(documentRequest(url), cookies: [], emit: emit)
            guard let metadata = interpret(response, issuer: issuer) else {
                tried.append("\(url) (HTTP \(response.status))")
                continue
            }
            emit(Event(.note("discovered the endpoints of \(metadata.issuer) at \(url)")))
            return metadata
        }
        throw Failure(.protocol, "no OAuth 2.0 metadata with a token_endpoint at \(tried.joined(separator: ", ")); check --issuer")
    }

    static func documentRequest(_ url: String) -> HTTPRequest {
        HTTPRequest(url: url, headers: [HTTPHeader(name: "Accept", value: "application/json")])
    }

    /// The metadata a document holds; nil (try the next place) for a non-2xx,
    /// a body that is not JSON, or one without a token endpoint.
    static func interpret(_ response: HTTPResponse, issuer: String) -> OAuthMetadata? {
        guard (200..<300).contains(response.status), case .success(let json) = EndpointAnswer.json(response) else {
            return nil
        }
        return OAuthMetadata.parse(json, issuer: issuer)
    }
}
