import ArgumentParser
import WSAuthKit

/// The grants of `login` that need a person: a browser (authorization code) or
/// a second device (device code).
enum InteractiveGrant: String {
    case authorizationCode = "authorization_code"
    case deviceCode = "device_code"
}

extension Login {
    /// The grant when it is an interactive one.
    func interactiveGrant(_ profile: Profile) throws(Failure) -> InteractiveGrant? {
        try profile.string("grant", flag: grant).flatMap(InteractiveGrant.init(rawValue:))
    }

    /// `--issuer` (or the profile's `issuer`): the endpoints of its metadata.
    func discover(_ profile: Profile, output: Output) throws(Failure) -> OAuthMetadata? {
        guard let issuer = try profile.string("issuer", flag: issuer) else { return nil }
        return try OAuthDiscovery.discover(issuer: issuer, transport: try transport.options()) { output.report($0) }
    }

    func runInteractive(_ grant: InteractiveGrant, metadata: OAuthMetadata, context: ProfileContext, output: Output) throws(Failure) {
        let profile = context.profile
        guard let clientID = try profile.string("client_id", flag: clientID) else {
            throw Failure.usage("--grant \(grant.rawValue) needs --client-id (the client registered with \(metadata.issuer))")
        }
        let secretSource = try SecretSource.choose(
            flag: "--client-secret", environment: try profile.string("client_secret_env", flag: clientSecretEnv),
            file: try profile.string("client_secret_file", flag: clientSecretFile), stdin: false)
        let secret = try secretSource.map { s throws(Failure) in try s.read(what: "client secret") }
        if let secret { output.redactor.register(secret) }
        let flagWait = try timeout.map { text throws(Failure) in try TimeSpan.parse(text) }
        let profileWait = try profile.duration("timeout")
        let noBrowserSetting = try profile.bool("no_browser") ?? false
        let login = InteractiveLogin(
            metadata: metadata, clientID: clientID, clientSecret: secret,
            scope: try profile.string("scope", flag: scope), audience: try profile.string("audience", flag: audience),
            timeout: flagWait ?? profileWait ?? TimeSpan(seconds: 300),
            paths: TokenPaths(
                access: try profile.string("token_path", flag: tokenPath),
                refresh: try profile.string("refresh_token_path", flag: refreshTokenPath),
                expiresIn: try profile.string("expires_in_path", flag: expiresInPath)),
            webSocket: try profile.string("ws_url", flag: wsURL).map { text throws(Failure) in try WebSocketURL.parse(text) })
        let transport = try transport.options()
        let credentials: Credentials
        switch grant {
        case .authorizationCode:
            let browser = !(noBrowser || noBrowserSetting)
            credentials = try AuthorizationCodeFlow(login: login, store: context.store, transport: transport, openBrowser: browser)
                .run { output.report($0) }
        case .deviceCode:
            credentials = try DeviceFlow(login: login, store: context.store, transport: transport).run { output.report($0) }
        }
        report(credentials, store: context.store, output: output)
    }
}
