import Hummingbird

/// The OAuth 2.0 authorization server: metadata, the authorization endpoint, the device
/// endpoints, the token endpoint with every grant, and revocation — so that interactive
/// logins (`wsauth login --issuer`) can be tried without an external provider.
struct OAuthRoutes: Sendable {
    let auth: AuthService
    let log: ServerLog

    func register(on router: Router<some RequestContext>) {
        let codes = AuthorizationCodeStore()
        let devices = DeviceGrantStore()
        OAuthTokenRoute(
            auth: auth,
            codes: AuthorizationCodeGrant(auth: auth, codes: codes),
            devices: DeviceCodeGrant(auth: auth, devices: devices),
            log: log
        ).register(on: router)
        DiscoveryRoute().register(on: router)
        AuthorizeRoute(auth: auth, codes: codes, log: log).register(on: router)
        DeviceRoutes(auth: auth, devices: devices, log: log).register(on: router)
        RevocationRoute(auth: auth, log: log).register(on: router)
    }
}
