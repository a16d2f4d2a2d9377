/// A session cookie the server set at login (`--session-cookie NAME=VALUE`).
public struct SessionCookieCredential: Sendable {
    public var name: String
    public var value: Secret

    public init(name: String, value: Secret) {
        self.name = name
        self.value = value
    }

    /// Parses `NAME=VALUE`; nil when there is no `=` or no name.
    public init?(parsing text: String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { return nil }
        let value = String(text[text.index(after: eq)...].trimmingSpaces())
        guard !value.isEmpty else { return nil }
        self.init(name: String(text[..<eq].trimmingSpaces()), value: Secret(value))
    }
}

/// A credential as one handshake presents it.
public enum PresentedCredential: Sendable {
    case token(Secret, TokenPresentation)
    case sessionCookie(SessionCookieCredential)

    /// True when a browser would attach it to any page's handshake by itself: a
    /// cookie. That is what makes a foreign Origin exploitable (RFC 6455 §10.2).
    public var isAmbient: Bool {
        switch self {
        case .token(_, let presentation): presentation.placement == .cookie
        case .sessionCookie: true
        }
    }
}

/// Everything the checks share: the target, the credentials, the options, and the
/// probe that opens handshakes. A class: the command adds the throwaway login and
/// the narration once it is made, and every check registers forgeries with the one
/// redactor.
public final class AuditContext {
    public let url: WebSocketURL
    public let probe: any HandshakeProbe
    /// The valid token and how `--token-in` presents it.
    public let token: Secret?
    public let presentation: TokenPresentation
    public let sessionCookie: SessionCookieCredential?
    /// `--expired-token…`, or the token given when it has expired already.
    public let expiredToken: Secret?
    public let logoutURL: String?
    public let watchExpiry: Bool
    public let grace: TimeSpan
    /// `-H` headers that carry no credentials, sent with every handshake.
    public let headers: [HTTPHeader]
    public let subprotocols: [String]
    /// `--origin`, sent by every check that does not choose its own Origin.
    public let origin: String?
    /// Every forged token is registered here before it is used.
    public let redactor: Redactor
    /// The logout endpoint is called through this.
    public let http: HTTPClient

    public init(
        url: WebSocketURL,
        probe: any HandshakeProbe,
        http: HTTPClient,
        token: Secret?,
        presentation: TokenPresentation,
        sessionCookie: SessionCookieCredential?,
        expiredToken: Secret?,
        logoutURL: String?,
        watchExpiry: Bool,
        grace: TimeSpan,
        headers: [HTTPHeader],
        subprotocols: [String],
        origin: String?,
        redactor: Redactor
    ) {
        self.url = url
        self.probe = probe
        self.presentation = presentation
        self.sessionCookie = sessionCookie
        self.logoutURL = logoutURL
        if let token, let expiry = JWT.decode(token.reveal())?.expiresAt, expiry <= Timestamp.now {
            // An expired token (a stored one that could not be refreshed, say) is
            // what expired-token needs, and no use to the checks that need a valid one.
            self.token = nil
            self.expiredToken = expiredToken ?? token
            missingToken =
                "the token given expired \(TimeSpan.format(seconds: Timestamp.now.timeIntervalSince(expiry))) ago (expired-token tries it)"
        } else {
            self.token = token
            self.expiredToken = expiredToken
            missingToken = "no token given (--token…, WSAUTH_TOKEN or a stored login)"
        }
        self.watchExpiry = watchExpiry
        self.grace = grace
        // A credential given with -H would ride along on every check, the one
        // without credentials too: credentials come from the credential flags only.
        self.headers = headers.filter { !Redactor.isCredentialHeader($0.name) }
        self.subprotocols = subprotocols
        self.origin = origin
        self.redactor = redactor
        self.http = http
        jwt = self.token.flatMap { CompactJWT($0.reveal()) }
    }

    /// Why `token` is nil, for the checks that need it.
    public let missingToken: String

    public let jwt: CompactJWT?

    /// A login made for the audit alone, which after-logout revokes instead of the
    /// credentials above; nil with the reason in `noThrowaway`.
    public var throwaway: ThrowawayLogin.Session?
    public var noThrowaway = "no login settings in the profile (login_url, user, password_env or password_file)"

    /// Narration for people (a long watch says what it waits for).
    public var notify: (String) -> Void = { _ in }

    /// The token's `exp`, when it is a JWT that has one.
    public var tokenExpiry: Timestamp? { jwt?.decoded.expiresAt }

    /// A handshake to the target with one credential (or none) and an Origin.
    public func plan(_ credential: PresentedCredential?, origin: String? = nil) -> HandshakePlan {
        var plan = HandshakePlan(url: url)
        plan.headers = headers
        plan.subprotocols = subprotocols
        plan.origin = origin ?? self.origin
        switch credential {
        case .token(let token, let presentation)?:
            presentation.apply(token, to: &plan)
        case .sessionCookie(let cookie)?:
            plan.cookies.append((cookie.name, cookie.value.reveal()))
        case nil:
            break
        }
        return plan
    }

    /// The valid token as `--token-in` presents it.
    public var presentedToken: PresentedCredential? {
        token.map { .token($0, presentation) }
    }

    /// Another token in the same presentation: a forged one, or an expired one.
    public func presenting(_ other: Secret) -> PresentedCredential {
        redactor.register(token: other)
        return .token(other, presentation)
    }
}
