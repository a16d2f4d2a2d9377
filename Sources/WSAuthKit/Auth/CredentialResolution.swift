/// What `connect` and `probe` get from the store: the current access token and
/// the session cookies.
public struct StoredCredentials: Sendable {
    public var accessToken: Secret?
    public var expiresAt: Timestamp?
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
/// stored; nil when nothing is stored. `settings` are the profile's refresh
/// settings (what `wsauth refresh` would use), else what the login recorded.
public func resolveStoredCredentials(
    store: CredentialStore,
    settings: RefreshSettings,
    transport: TransportOptions,
    refreshMargin: TimeSpan,
    emit: (Event) -> Void
) throws(Failure) -> StoredCredentials? {
    guard let current = try store.current() else { return nil }
    emit(Event(.secrets(current.secrets)))
    guard current.refreshToken != nil, current.expires(within: refreshMargin) else {
        return StoredCredentials(current)
    }
    var settings = settings
    if settings.url == nil, current.refreshEndpoint == nil, !current.expires(within: TimeSpan(seconds: 0)) {
        // Nowhere to refresh, but the token still works: use it rather than fail early.
        return StoredCredentials(current)
    }
    settings.ifExpiringWithin = refreshMargin
    let flow = RefreshFlow(store: store, transport: transport, settings: settings)
    return StoredCredentials(try flow.run(emit: emit).0)
}

/// Refreshes now, for a reconnect after an auth close code; a refresh that
/// another process made meanwhile is reused.
public func refreshStoredCredentials(
    store: CredentialStore,
    settings: RefreshSettings,
    transport: TransportOptions,
    emit: (Event) -> Void
) throws(Failure) -> StoredCredentials {
    let flow = RefreshFlow(store: store, transport: transport, settings: settings)
    return StoredCredentials(try flow.run(emit: emit).0)
}

/// A profile's config and store, found through the environment.
public struct ProfileContext: Sendable {
    public var paths: Paths
    public var profile: Profile
    /// The keys that are not flags: URLs and hosts.
    public var settings: ProfileSettings
    public var store: CredentialStore

    public init(_ name: String) throws(Failure) {
        try self.init(ProfileName(name))
    }

    public init(_ name: ProfileName) throws(Failure) {
        paths = try Paths.fromEnvironment()
        profile = try Profile.load(name, paths: paths)
        settings = try profile.settings()
        store = CredentialStore(profile: name, paths: paths)
    }

    public var binding: ProfileBinding { ProfileBinding(settings: settings, configFile: paths.configFile) }
}
