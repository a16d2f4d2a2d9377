#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the device authorization endpoint answered (RFC 8628 §3.2).
public struct DeviceAuthorization: Sendable {
    public var deviceCode: Secret
    public var userCode: String
    public var verificationURI: String
    public var verificationURIComplete: String?
    public var expiresIn: Double
    /// §3.2: 5 seconds when the server names none.
    public var interval: Double
}

/// `login --grant device_code` (RFC 8628): shows the user where to go and which
/// code to enter, then polls the token endpoint until the user has decided.
public struct DeviceFlow: Sendable {
    public var login: InteractiveLogin
    public var store: CredentialStore
    public var transport: TransportOptions
    public var http: any HTTPExecutor
    static let grantType = "urn:ietf:params:oauth:grant-type:device_code"
    /// A server's `interval` beyond this is taken as this: the user is waiting.
    static let longestInterval = 60.0

    /// `http` nil sends with libcurl (`HTTPClient`).
    public init(
        login: InteractiveLogin,
        store: CredentialStore,
        transport: TransportOptions,
        http: (any HTTPExecutor)? = nil
    ) {
        self.login = login
        self.store = store
        self.transport = transport
        self.http = http ?? HTTPClient(options: transport)
    }

    /// `waiting` hears, about once a second while polling pauses, how long the
    /// code has left (a countdown on a terminal).
    public func run(emit: (Event) -> Void, waiting: (Double) -> Void = { _ in }) throws(Failure) -> Credentials {
        guard let endpoint = login.metadata.deviceAuthorizationEndpoint else {
            throw Failure(
                .protocol,
                "\(login.metadata.issuer) names no device_authorization_endpoint; use --grant authorization_code"
            )
        }
        let authorization = try authorize(at: endpoint, emit: emit)
        var prompt = "To log in, open \(authorization.verificationURI) and enter the code \(authorization.userCode)"
        if let complete = authorization.verificationURIComplete { prompt += "\n  or open \(complete)" }
        emit(Event(.note(prompt)))
        return try poll(authorization, emit: emit, waiting: waiting)
    }

    /// §3.1: the client (and scope) ask for a device code.
    public func authorize(at url: String, emit: (Event) -> Void) throws(Failure) -> DeviceAuthorization {
        let form = login.exchange(grantType: nil, login.scopeParameters).httpRequest(url: url)
        let authorization = try DeviceAuthorization.interpret(
            try http.exchange(form, cookies: [], emit: emit),
            url: url
        )
        emit(Event(.secrets([authorization.deviceCode])))
        return authorization
    }

    /// §3.4–3.5: poll at the interval; `authorization_pending` waits,
    /// `slow_down` adds 5 seconds for this and every later request. Both limits are
    /// measured on the monotonic clock, so a wall-clock step neither ends nor
    /// prolongs the wait.
    public func poll(
        _ authorization: DeviceAuthorization,
        emit: (Event) -> Void,
        waiting: (Double) -> Void
    ) throws(Failure) -> Credentials {
        let clock = ContinuousClock()
        let limit = DeviceWaitLimit(
            expiresIn: authorization.expiresIn,
            timeout: login.timeout.seconds,
            start: clock.now
        )
        let loginFlow = LoginFlow(store: store, transport: transport, http: http)
        let request = login.loginRequest(
            login.exchange(
                grantType: DeviceFlow.grantType,
                [("device_code", authorization.deviceCode.reveal())]
            )
        )
        let outgoing = loginFlow.httpRequest(request)
        var interval = authorization.interval
        var pendingShown = false
        while true {
            if let failure = limit.failure(ifPollingAt: clock.now + .seconds(interval)) { throw failure }
            DeviceFlow.pause(seconds: interval) { waiting(limit.secondsLeft(at: clock.now)) }
            let response = try http.exchange(outgoing, cookies: [], emit: emit)
            switch try DevicePollAnswer.interpret(response, url: request.url) {
            case .granted:
                return try loginFlow.accept(response, for: request, emit: emit)
            case .pending:
                if !pendingShown { emit(Event(.note("waiting for the code to be approved…"))) }
                pendingShown = true
            case .slowDown:
                interval += 5
                emit(Event(.note("the server asked to slow down; polling every \(TimeSpan.format(seconds: interval))")))
            }
        }
    }

    /// usleep takes at most UInt32 microseconds: a second at a time, `tick` before each.
    static func pause(seconds: Double, tick: () -> Void) {
        var left = seconds
        while left > 0 {
            tick()
            usleep(UInt32(min(left, 1) * 1_000_000))
            left -= 1
        }
    }
}

extension DeviceAuthorization {
    /// §3.2: the device authorization answer; `verification_url` is Google's spelling.
    static func interpret(_ response: HTTPResponse, url: String) throws(Failure) -> DeviceAuthorization {
        guard (200..<300).contains(response.status) else {
            throw EndpointAnswer.failure(
                response,
                what: "device authorization",
                url: url,
                hint: "check --client-id and --scope"
            )
        }
        let json = try EndpointAnswer.json(response).get()
        guard let code = json["device_code"]?.stringValue, let user = json["user_code"]?.stringValue,
            let uri = json["verification_uri"]?.stringValue ?? json["verification_url"]?.stringValue
        else {
            throw Failure(.protocol, "device authorization answer lacks device_code, user_code or verification_uri")
        }
        return DeviceAuthorization(
            deviceCode: Secret(code),
            userCode: user,
            verificationURI: uri,
            verificationURIComplete: json["verification_uri_complete"]?.stringValue,
            expiresIn: json["expires_in"]?.numberValue ?? 1800,
            interval: min(max(1, json["interval"]?.numberValue ?? 5), DeviceFlow.longestInterval)
        )
    }
}

/// What one poll of the token endpoint answered (RFC 8628 §3.5): the tokens, or
/// keep polling; a denial, an expired code or any other error is a failure.
enum DevicePollAnswer: Equatable {
    case granted, pending, slowDown

    static func interpret(_ response: HTTPResponse, url: String) throws(Failure) -> DevicePollAnswer {
        if (200..<300).contains(response.status) { return .granted }
        switch (try? JSONValue.parse(response.body))?["error"]?.stringValue {
        case "authorization_pending"?:
            return .pending
        case "slow_down"?:
            return .slowDown
        case "access_denied"?:
            throw Failure(.auth, "login denied: the user refused the device code; run 'wsauth login' to try again")
        case "expired_token"?:
            throw DeviceWaitLimit.codeExpired
        default:
            throw EndpointAnswer.failure(response, what: "login", url: url, hint: "check --client-id")
        }
    }
}

/// How long polling may go on: until the device code's `expires_in` (RFC 8628 §3.2)
/// or `--timeout`, whichever comes first. The code running out is the same failure
/// whichever clock notices it, ours or the server's `expired_token` (exit 2); only
/// `--timeout` running out first is a timeout (exit 5).
struct DeviceWaitLimit {
    let expiry: ContinuousClock.Instant
    let deadline: ContinuousClock.Instant
    let timeout: Double

    static let codeExpired = Failure(.auth, "the device code expired before it was approved; run 'wsauth login' again")

    init(expiresIn: Double, timeout: Double, start: ContinuousClock.Instant) {
        self.expiry = start + .seconds(expiresIn)
        self.deadline = start + .seconds(min(expiresIn, timeout))
        self.timeout = timeout
    }

    /// Why a poll at `instant` would come too late, or nil while it is in time.
    func failure(ifPollingAt instant: ContinuousClock.Instant) -> Failure? {
        guard instant >= deadline else { return nil }
        if deadline == expiry { return Self.codeExpired }
        return Failure(
            .timeout,
            "the device code was not approved within \(TimeSpan.format(seconds: timeout)); run 'wsauth login' again"
        )
    }

    func secondsLeft(at instant: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = (expiry - instant).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
