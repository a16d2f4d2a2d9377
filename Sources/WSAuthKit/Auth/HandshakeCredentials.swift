/// The credentials one WebSocket handshake carries and how, resolved from the flags, the
/// profile and the store (docs/reference/behaviour.md `connect`): a value with no I/O, which
/// `SessionSetup` (Sources/wsauth) fills and the drivers and probes read plans from.
public struct HandshakeCredentials: Sendable {
    public var url: WebSocketURL
    /// `-H` and `-b`, given for the WebSocket's host.
    public var transport: TransportOptions
    public var presentation: TokenPresentation
    /// `--session-header`: the session cookie's value in this header, and no Cookie header.
    public var sessionHeader: String?
    /// `--session-cookie NAME`: the session cookie, when the session rule would not find it.
    public var sessionCookieName: String?
    public var origin: String?
    /// `--app`'s subprotocols, offered before `subprotocols`.
    public var appSubprotocols: [String]
    /// `--subprotocol`.
    public var subprotocols: [String]
    /// `--compress`: permessage-deflate offered (RFC 7692).
    public var compress: Bool
    /// The app carries the token in its own handshake, not in the upgrade.
    public var tokenInPayload: Bool
    /// The stored cookies of the profile, when the stored credentials are in use.
    public var storedCookies: [NetscapeCookie]
    /// Names of the cookies the login set, for the session rule.
    public var loginCookieNames: [String]

    public init(
        url: WebSocketURL,
        transport: TransportOptions,
        presentation: TokenPresentation,
        sessionHeader: String? = nil,
        sessionCookieName: String? = nil,
        origin: String? = nil,
        appSubprotocols: [String] = [],
        subprotocols: [String] = [],
        compress: Bool = false,
        tokenInPayload: Bool = false,
        storedCookies: [NetscapeCookie] = [],
        loginCookieNames: [String] = []
    ) {
        self.url = url
        self.transport = transport
        self.presentation = presentation
        self.sessionHeader = sessionHeader
        self.sessionCookieName = sessionCookieName
        self.origin = origin
        self.appSubprotocols = appSubprotocols
        self.subprotocols = subprotocols
        self.compress = compress
        self.tokenInPayload = tokenInPayload
        self.storedCookies = storedCookies
        self.loginCookieNames = loginCookieNames
    }

    /// `-b` (for this URL's host) and the stored cookies; what rides on the
    /// handshake, or is copied into a header, is what this lets through.
    public var requestCredentials: RequestCredentials {
        RequestCredentials(transport: transport, stored: storedCookies)
    }

    /// Every cookie known, whether it may go to this URL or not (doctor's cookies finding).
    public var knownCookies: [NetscapeCookie] {
        let credentials = requestCredentials
        return credentials.givenCookies + credentials.storedCookies
    }

    /// The cookies RFC 6265 §5.4 lets through to this URL.
    public func handshakeCookies() -> [NetscapeCookie] {
        requestCredentials.cookies(for: RequestTarget(url))
    }

    /// The session cookie `audit` and doctor's placement search use: among the cookies
    /// that may go to this URL (`handshakeCookies`), the one `--session-cookie` (or
    /// `session_cookie`) names, else the one set at login, else the one with a well-known
    /// session name.
    public func sessionCookie() -> NetscapeCookie? {
        SessionCookie.select(named: sessionCookieName, cookies: handshakeCookies(), loginCookieNames: loginCookieNames)
    }

    /// The handshake as flags and credentials shape it, for the token of the moment.
    public func plan(token: Secret?) -> HandshakePlan {
        var plan = HandshakePlan(url: url)
        plan.headers = transport.headers
        plan.origin = origin
        plan.subprotocols = appSubprotocols + subprotocols
        if compress { plan.extensions = [DeflateParameters.offer] }
        if let sessionHeader, let session = sessionCookie() {
            // For clients without cookies: the session in a header, and no Cookie header.
            plan.headers.append(HTTPHeader(name: sessionHeader, value: session.value))
        } else {
            plan.cookies = handshakeCookies().map { (name: $0.name, value: $0.value) }
        }
        // With --app the token goes in the app's own handshake unless --token-in puts it in the upgrade.
        if let token, !tokenInPayload { presentation.apply(token, to: &plan) }
        return plan
    }

    /// Nothing from outside writes our requests (HeaderSafety): every value that goes
    /// into the handshake's headers is checked before anything is sent, with the source
    /// that makes a line break the server's fault (3) or the user's (64).
    public func checkHeaderValues(token: Secret?, source: ValueSource) throws(Failure) {
        if let token { try HeaderSafety.check(token.reveal(), source: source) }
        for cookie in storedCookies {
            try HeaderSafety.check(cookie.line, source: .server("the stored cookie \(cookie.name)"))
        }
        let literal = transport.cookie?.contains("=") == true
        for cookie in requestCredentials.givenCookies {
            let source = literal ? "-b \(cookie.name)" : "the cookie \(cookie.name) of -b \(transport.cookie ?? "")"
            try HeaderSafety.check(cookie.value, source: .user(source))
        }
        if let origin { try HeaderSafety.check(origin, source: .user("--origin")) }
        for subprotocol in subprotocols { try HeaderSafety.check(subprotocol, source: .user("--subprotocol")) }
        let templates = [
            ("--auth-scheme", presentation.authScheme), ("--protocol-template", presentation.protocolTemplate),
            ("--cookie-name", presentation.cookieName), ("--auth-header", presentation.authHeader),
            ("--session-header", sessionHeader ?? ""),
        ]
        for (flag, value) in templates { try HeaderSafety.check(value, source: .user(flag)) }
    }
}
