import Glibc

/// How to refresh: flags and profile settings; anything left nil falls back to
/// what the login recorded with the credentials.
public struct RefreshSettings: Sendable {
    public var url: String?
    public var style: RefreshStyle?
    public var field: String?
    public var clientID: String?
    public var clientSecret: Secret?
    public var paths: TokenPaths
    /// `--if-expiring-within`: refresh only when the token expires within this.
    public var ifExpiringWithin: TimeSpan?
    /// Tries for a 5xx or a network failure, and the first pause (doubled each time).
    public var attempts = 3
    public var backoff = TimeSpan(seconds: 0.25)
    /// The profile's hosts: a refresh URL outside them is refused (64) before it
    /// is called, unless it is the one recorded at login. Nil only for a store
    /// that belongs to no profile (the demo's).
    public var binding: ProfileBinding?

    public init(
        url: String? = nil,
        style: RefreshStyle? = nil,
        field: String? = nil,
        clientID: String? = nil,
        clientSecret: Secret? = nil,
        paths: TokenPaths = TokenPaths(),
        ifExpiringWithin: TimeSpan? = nil
    ) {
        self.url = url
        self.style = style
        self.field = field
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.paths = paths
        self.ifExpiringWithin = ifExpiringWithin
    }
}

public enum RefreshOutcome: Sendable, Equatable {
    /// This process called the endpoint; `rotated` when a new refresh token replaced the old.
    case refreshed(rotated: Bool)
    /// Another process refreshed while this one waited for the lock: its result is used.
    case reused
    /// The token is good for longer than `--if-expiring-within`.
    case notNeeded
}

/// Exchanges the stored refresh token for new tokens, once across processes.
///
/// Single flight: the whole exchange happens under the profile's lock, and after
/// taking it the store is read again; when another process refreshed since this
/// one started (or the token no longer needs it), its result is reused and the
/// endpoint is not called. With refresh-token rotation (RFC 6819 §5.2.2.3), a
/// second call with the old refresh token would be a reuse, which revokes the
/// whole token family on many servers.
public struct RefreshFlow: Sendable {
    public var store: CredentialStore
    public var transport: TransportOptions
    public var settings: RefreshSettings
    /// When this process began wanting a refresh; a refresh stored after it is reused.
    public var startedAt: Timestamp
    public var http: any HTTPExecutor

    /// `http` nil sends with libcurl (`HTTPClient`).
    public init(
        store: CredentialStore,
        transport: TransportOptions,
        settings: RefreshSettings,
        startedAt: Timestamp = Timestamp.now,
        http: (any HTTPExecutor)? = nil
    ) {
        self.store = store
        self.transport = transport
        self.settings = settings
        self.startedAt = startedAt
        self.http = http ?? HTTPClient(options: transport)
    }

    public func run(emit: (Event) -> Void) throws(Failure) -> (Credentials, RefreshOutcome) {
        // Fast path without the lock: CI calls `refresh --if-expiring-within` before every step.
        if let margin = settings.ifExpiringWithin, let current = try store.peek(), !current.expires(within: margin) {
            emit(notNeededEvent(current, margin: margin))
            return (current, .notNeeded)
        }
        return try store.locked { (transaction: inout CredentialStore.Transaction) throws(Failure) in
            let current: Credentials
            switch try transaction.read() {
            case .missing: throw Failure(.auth, "not logged in (profile \(store.profile)); run 'wsauth login'")
            case .corrupt(let message): throw Failure(.auth, message)
            case .found(let found): current = found
            }
            if let margin = settings.ifExpiringWithin, !current.expires(within: margin) {
                emit(notNeededEvent(current, margin: margin))
                return (current, .notNeeded)
            }
            if let refreshedAt = current.refreshedAt, refreshedAt >= startedAt {
                emit(
                    Event(
                        .note("another wsauth process refreshed profile \(store.profile) meanwhile; using its tokens")
                    )
                )
                emit(Event(.refresh(RefreshReport(ok: true, expiresAt: current.expiresAt, rotated: false))))
                return (current, .reused)
            }
            let renewed = try exchange(current, emit: emit)
            try transaction.write(renewed.0)
            return renewed
        }
    }

    private func notNeededEvent(_ current: Credentials, margin: TimeSpan) -> Event {
        let left = current.expiresAt.map { TimeSpan.format(seconds: $0.timeIntervalSinceNow) } ?? "an unknown time"
        return Event(
            .refresh(
                RefreshReport(
                    ok: true,
                    expiresAt: current.expiresAt,
                    rotated: false,
                    skipped: "token still good for \(left), more than \(margin)"
                )
            )
        )
    }

    func endpoint(for current: Credentials) throws(Failure) -> RefreshEndpoint {
        let recorded = current.refreshEndpoint
        guard let url = settings.url ?? recorded?.url else {
            throw Failure.usage(
                "no refresh URL for profile \(store.profile): pass one, set refresh_url in the profile, or log in with --refresh-url"
            )
        }
        return RefreshEndpoint(
            url: url,
            style: settings.style ?? recorded?.style ?? .json,
            field: settings.field ?? recorded?.field,
            clientID: settings.clientID ?? recorded?.clientID
        )
    }

    private func exchange(
        _ current: Credentials,
        emit: (Event) -> Void
    ) throws(Failure) -> (Credentials, RefreshOutcome) {
        // Before any answer can quote them: an error description that echoes the refresh token.
        emit(Event(.secrets(current.secrets + [settings.clientSecret].compactMap { $0 })))
        guard let refreshToken = current.refreshToken else {
            throw Failure(.auth, "no refresh token stored for profile \(store.profile); run 'wsauth login'")
        }
        let endpoint = try endpoint(for: current)
        if let binding = settings.binding,
            current.refreshEndpoint.map({ URLParts($0.url).host != URLParts(endpoint.url).host }) ?? true
        {
            try binding.scope(of: current).require(
                endpoint.url,
                for: "the refresh URL",
                profile: store.profile,
                configFile: binding.configFile
            )
        }
        let request = httpRequest(endpoint, refreshToken: refreshToken)
        let response = try performWithRetries(request, cookies: current.cookies, emit: emit)
        if !(200..<300).contains(response.status) {
            emit(
                Event(
                    .refresh(
                        RefreshReport(ok: false, expiresAt: current.expiresAt, rotated: false, status: response.status)
                    )
                )
            )
        }
        let answer = try RefreshAnswer.interpret(
            response,
            current: current,
            endpoint: endpoint,
            paths: settings.paths,
            now: Timestamp.now
        )
        emit(Event(.refresh(RefreshReport(ok: true, expiresAt: answer.credentials.expiresAt, rotated: answer.rotated))))
        return (answer.credentials, .refreshed(rotated: answer.rotated))
    }

    func httpRequest(_ endpoint: RefreshEndpoint, refreshToken: Secret) -> HTTPRequest {
        var headers = [HTTPHeader(name: "Accept", value: "application/json")]
        let body: String
        switch endpoint.style {
        case .json:
            headers.append(HTTPHeader(name: "Content-Type", value: "application/json"))
            body = JSONValue.object([(endpoint.field ?? "refresh_token", .string(refreshToken.reveal()))]).serialized()
        case .oauth2:
            // RFC 6749 §6; a confidential client authenticates as at login (§2.3.1).
            headers.append(HTTPHeader(name: "Content-Type", value: "application/x-www-form-urlencoded"))
            var pairs = [("grant_type", "refresh_token"), ("refresh_token", refreshToken.reveal())]
            ClientAuthentication.apply(
                clientID: endpoint.clientID,
                secret: settings.clientSecret,
                to: .token,
                headers: &headers,
                form: &pairs
            )
            body = URLEncoding.form(pairs)
        }
        return HTTPRequest(method: "POST", url: endpoint.url, headers: headers, body: Array(body.utf8))
    }

    /// A 5xx or a network failure is tried again after 0.25 s, then 0.5 s …; a
    /// rejection is not: the same refresh token would be rejected again.
    private func performWithRetries(
        _ request: HTTPRequest,
        cookies: [NetscapeCookie],
        emit: (Event) -> Void
    ) throws(Failure) -> HTTPResponse {
        var pause = settings.backoff
        var attempt = 1
        while true {
            let retryable: String
            do throws(Failure) {
                let response = try http.exchange(request, cookies: cookies, emit: emit)
                guard (500..<600).contains(response.status), attempt < settings.attempts else { return response }
                retryable = "HTTP \(response.status)"
            } catch {
                guard [.network, .timeout].contains(error.kind), attempt < settings.attempts else { throw error }
                retryable = error.message
            }
            emit(
                Event(
                    .note(
                        "refresh attempt \(attempt) of \(settings.attempts) failed (\(retryable)); retrying in \(pause)"
                    )
                )
            )
            usleep(UInt32(pause.milliseconds) * 1000)
            pause = TimeSpan(seconds: pause.seconds * 2)
            attempt += 1
        }
    }
}
