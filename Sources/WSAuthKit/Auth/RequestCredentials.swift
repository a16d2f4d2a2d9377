/// Where a request goes, as far as credentials care (RFC 6265 §5.4 step 1):
/// its host, its path, and whether the channel is encrypted.
public struct RequestTarget: Sendable, Equatable {
    public var host: String
    public var path: String
    public var secure: Bool

    public init(host: String, path: String, secure: Bool) {
        self.host = host
        self.path = path
        self.secure = secure
    }

    public init(_ url: WebSocketURL) {
        self.init(host: url.host, path: url.path, secure: url.secure)
    }

    /// An http(s) or ws(s) URL; only `https://` and `wss://` are secure.
    public init(url: String) {
        let parts = URLParts(url)
        let scheme = url.prefix { $0 != ":" }.lowercased()
        self.init(host: parts.host, path: parts.path, secure: scheme == "https" || scheme == "wss")
    }
}

/// The one place that decides which of the credentials at hand ride on a
/// request (docs/credentials.md):
/// - `-H` headers and `-b` cookies belong to the host they were given for (the
///   command's own target: the WebSocket's host for connect, probe, doctor and
///   audit); a token endpoint on another host gets none of them;
/// - every cookie, given or stored, goes as a browser sends it (RFC 6265 §5.4:
///   Domain, Path, Secure only over https/wss, not once expired), whatever
///   header it is copied into;
/// - stored tokens go to the credentials' hosts only (`CredentialScope`, checked
///   by the caller before anything is sent, since a refusal there is an error);
/// - the client secret only to the provider's endpoints (`ClientAuthentication`
///   takes nothing else).
public struct RequestCredentials: Sendable {
    /// The host `-H` and `-b` were given for; nil sends them nowhere.
    public var givenFor: String?
    public var givenHeaders: [HTTPHeader]
    public var givenCookies: [NetscapeCookie]
    /// Cookies from the store (set by a login or refresh answer).
    public var storedCookies: [NetscapeCookie]

    public init(givenFor: String?, headers: [HTTPHeader], cookies: [NetscapeCookie], stored: [NetscapeCookie] = []) {
        self.givenFor = givenFor
        givenHeaders = headers
        givenCookies = cookies
        storedCookies = stored
    }

    /// What the transport flags give (`-H`, `-b`), for their host, with `stored` cookies.
    public init(transport: TransportOptions, stored: [NetscapeCookie] = []) {
        let host = transport.givenFor ?? ""
        self.init(
            givenFor: transport.givenFor,
            headers: transport.headers,
            cookies: GivenCookies.read(transport.cookie, host: host),
            stored: stored
        )
    }

    /// True when `-H` and `-b` may go to `target`: its host is the one they were given for.
    public func takesGiven(_ target: RequestTarget) -> Bool {
        guard let givenFor else { return false }
        return CredentialScope.normalized(givenFor) == CredentialScope.normalized(target.host)
    }

    /// The `-H` headers `target` may receive.
    public func headers(for target: RequestTarget) -> [HTTPHeader] {
        takesGiven(target) ? givenHeaders : []
    }

    /// The cookies `target` may receive: `-b`'s when it is their host, then the
    /// stored ones, each only when RFC 6265 §5.4 lets it through.
    public func cookies(for target: RequestTarget, now: Timestamp = Timestamp.now) -> [NetscapeCookie] {
        let given = takesGiven(target) ? givenCookies : []
        return matchingCookies(for: target, cookies: given + storedCookies, now: now)
    }

    /// `request` with what may ride on it: the `-H` headers and one `Cookie`
    /// header (RFC 6265 §5.4 step 4).
    public func attach(to request: HTTPRequest, now: Timestamp = Timestamp.now) -> HTTPRequest {
        let target = RequestTarget(url: request.url)
        var attached = request
        attached.headers += headers(for: target)
        if let cookie = RequestCredentials.cookieHeader(cookies(for: target, now: now)) {
            attached.headers.append(cookie)
        }
        return attached
    }

    /// `name=value; name=value`, or nil for no cookies.
    public static func cookieHeader(_ cookies: [NetscapeCookie]) -> HTTPHeader? {
        guard !cookies.isEmpty else { return nil }
        return HTTPHeader(name: "Cookie", value: cookies.map { "\($0.name)=\($0.value)" }.joined(separator: "; "))
    }
}
