#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `connect` and `probe` get from the store: the current access token and
/// the session cookies.
public struct StoredCredentials: Sendable {
    public var accessToken: Secret?
    public var expiresAt: Date?
    /// `matchingCookies(for:cookies:)` picks those for a URL.
    public var cookies: [NetscapeCookie]
    /// Names of the cookies the login set, for the session rule.
    public var loginCookieNames: [String]
    public var hasRefreshToken: Bool

    init(_ credentials: Credentials) {
        accessToken = credentials.accessToken
        expiresAt = credentials.expiresAt
        cookies = credentials.cookies
        loginCookieNames = credentials.loginCookieNames
        hasRefreshToken = credentials.refreshToken != nil
    }
}

/// The stored credentials of `profile`, refreshed first (once across processes)
/// when the access token expires within `refreshMargin` and a refresh token is
/// stored; nil when nothing is stored. Refresh settings come from the profile,
/// else from what the login recorded.
public func resolveStoredCredentials(profile: String, transport: TransportOptions, refreshMargin: TimeSpan,
                                     emit: (Event) -> Void) throws(Failure) -> StoredCredentials? {
    let context = try ProfileContext(profile)
    guard let current = try context.store.current() else { return nil }
    emit(Event(.secrets(current.secrets)))
    guard current.refreshToken != nil, current.expires(within: refreshMargin) else {
        return StoredCredentials(current)
    }
    var settings = try context.refreshSettings()
    if settings.url == nil, current.refreshEndpoint == nil, !current.expires(within: TimeSpan(seconds: 0)) {
        // Nowhere to refresh, but the token still works: use it rather than fail early.
        return StoredCredentials(current)
    }
    settings.ifExpiringWithin = refreshMargin
    let flow = RefreshFlow(store: context.store, transport: transport, settings: settings)
    return StoredCredentials(try flow.run(emit: emit).0)
}

/// Refreshes now, for a reconnect after an auth close code; a refresh that
/// another process made meanwhile is reused.
public func refreshStoredCredentials(profile: String, transport: TransportOptions,
                                     emit: (Event) -> Void) throws(Failure) -> StoredCredentials {
    let context = try ProfileContext(profile)
    let flow = RefreshFlow(store: context.store, transport: transport, settings: try context.refreshSettings())
    return StoredCredentials(try flow.run(emit: emit).0)
}

/// A profile's config and store, found through the environment.
public struct ProfileContext: Sendable {
    public var paths: Paths
    public var profile: Profile
    public var store: CredentialStore

    public init(_ name: String) throws(Failure) {
        try self.init(ProfileName(name))
    }

    public init(_ name: ProfileName) throws(Failure) {
        paths = try Paths.fromEnvironment()
        profile = try Profile.load(name, paths: paths)
        store = CredentialStore(profile: name, paths: paths)
    }

    /// The profile's refresh keys (`refresh_url`, `style`, `field`, `client_id`,
    /// `client_secret_env`/`client_secret_file`, token paths).
    public func refreshSettings() throws(Failure) -> RefreshSettings {
        var settings = RefreshSettings()
        settings.url = try profile.string("refresh_url")
        if let style = try profile.string("style") {
            guard let parsed = RefreshStyle(rawValue: style) else {
                throw Failure.usage("\(profile.file ?? "config.toml"): profiles.\(profile.name).style must be \"json\" or \"oauth2\"")
            }
            settings.style = parsed
        }
        settings.field = try profile.string("field")
        settings.clientID = try profile.string("client_id")
        let source = try SecretSource.choose(
            flag: "client_secret", environment: try profile.string("client_secret_env"),
            file: try profile.string("client_secret_file"), stdin: false)
        settings.clientSecret = try source.map { s throws(Failure) in try s.read(flag: "client_secret") }
        settings.paths = TokenPaths(
            access: try profile.string("token_path"), refresh: try profile.string("refresh_token_path"),
            expiresIn: try profile.string("expires_in_path"))
        return settings
    }
}
