#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
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
    static let grantType = "urn:ietf:params:oauth:grant-type:device_code"
    /// A server's `interval` beyond this is taken as this: the user is waiting.
    static let longestInterval = 60.0

    public init(login: InteractiveLogin, store: CredentialStore, transport: TransportOptions) {
        self.login = login; self.store = store; self.transport = transport
    }

    /// `waiting` hears, about once a second while polling pauses, how long the
    /// code has left (a countdown on a terminal).
    public func run(emit: (Event) -> Void, waiting: (Double) -> Void = { _ in }) throws(Failure) -> Credentials {
        guard let endpoint = login.metadata.deviceAuthorizationEndpoint else {
            throw Failure(.protocol, "\(login.metadata.issuer) names no device_authorization_endpoint; use --grant authorization_code")
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
        HTTPTrace.request(form, transport: transport, emit: emit)
        let response = try HTTPClient(options: transport).perform(form)
        HTTPTrace.response(response, transport: transport, emit: emit)
        guard (200..<300).contains(response.status) else {
            throw EndpointAnswer.failure(response, what: "device authorization", url: url, hint: "check --client-id and --scope")
        }
        let json = try EndpointAnswer.json(response).get()
        guard let code = json["device_code"]?.stringValue, let user = json["user_code"]?.stringValue,
              let uri = json["verification_uri"]?.stringValue ?? json["verification_url"]?.stringValue else {
            throw Failure(.protocol, "device authorization answer lacks device_code, user_code or verification_uri")
        }
        let device = Secret(code)
        emit(Event(.secrets([device])))
        return DeviceAuthorization(
            deviceCode: device, userCode: user, verificationURI: uri,
            verificationURIComplete: json["verification_uri_complete"]?.stringValue,
            expiresIn: json["expires_in"]?.numberValue ?? 1800,
            interval: min(max(1, json["interval"]?.numberValue ?? 5), DeviceFlow.longestInterval))
    }

    /// §3.4–3.5: poll at the interval; `authorization_pending` waits,
    /// `slow_down` adds 5 seconds for this and every later request.
    public func poll(_ authorization: DeviceAuthorization, emit: (Event) -> Void, waiting: (Double) -> Void) throws(Failure) -> Credentials {
        let waitLimit = min(authorization.expiresIn, login.timeout.seconds)
        let deadline = Date().addingTimeInterval(waitLimit)
        let expiry = Date().addingTimeInterval(authorization.expiresIn)
        let request = login.loginRequest(login.exchange(
            grantType: DeviceFlow.grantType, [("device_code", authorization.deviceCode.reveal())]))
        let outgoing = LoginFlow(store: store, transport: transport).httpRequest(request)
        var interval = authorization.interval
        var pendingShown = false
        while true {
            guard Date().addingTimeInterval(interval) < deadline else {
                throw Failure(.timeout, "the device code was not approved within \(TimeSpan.format(seconds: waitLimit)); run 'wsauth login' again")
            }
            DeviceFlow.pause(seconds: interval) { waiting(expiry.timeIntervalSinceNow) }
            HTTPTrace.request(outgoing, transport: transport, emit: emit)
            let response = try HTTPClient(options: transport).perform(outgoing)
            HTTPTrace.response(response, transport: transport, emit: emit)
            if (200..<300).contains(response.status) {
                return try LoginFlow(store: store, transport: transport).accept(response, for: request, emit: emit)
            }
            switch (try? JSONValue.parse(response.body))?["error"]?.stringValue {
            case "authorization_pending"?:
                if !pendingShown { emit(Event(.note("waiting for the code to be approved…"))) }
                pendingShown = true
            case "slow_down"?:
                interval += 5
                emit(Event(.note("the server asked to slow down; polling every \(TimeSpan.format(seconds: interval))")))
            case "access_denied"?:
                throw Failure(.auth, "login denied: the user refused the device code; run 'wsauth login' to try again")
            case "expired_token"?:
                throw Failure(.auth, "the device code expired before it was approved; run 'wsauth login' again")
            default:
                throw EndpointAnswer.failure(response, what: "login", url: request.url, hint: "check --client-id")
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
