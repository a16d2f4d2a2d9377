import ArgumentParser
import WSAuthKit

/// The grants of `login` that need a person: a browser (authorization code) or
/// a second device (device code).
enum InteractiveGrant: String {
    case authorizationCode = "authorization_code"
    case deviceCode = "device_code"
}

/// `--grant`: the token-endpoint grants of WSAuthKit's `OAuthGrant`, and the
/// interactive ones this command drives itself.
enum LoginGrant: String, CaseIterable, ExpressibleByArgument {
    case password
    case clientCredentials = "client_credentials"
    case authorizationCode = "authorization_code"
    case deviceCode = "device_code"

    enum Kind {
        case token(OAuthGrant)
        case interactive(InteractiveGrant)
    }

    var kind: Kind {
        if let grant = OAuthGrant(rawValue: rawValue) { return .token(grant) }
        return .interactive(InteractiveGrant(rawValue: rawValue)!)
    }
}

extension Login {
    /// The grant when it is an interactive one; an unknown grant is refused here,
    /// before discovery makes a request.
    var interactiveGrant: InteractiveGrant? {
        guard let grant = credentials.grant, case .interactive(let interactive) = grant.kind else { return nil }
        return interactive
    }

    /// `--issuer` (or the profile's `issuer`): the endpoints of its metadata.
    func discover(output: Output) throws(Failure) -> OAuthMetadata? {
        guard let issuer else { return nil }
        return try OAuthDiscovery.discover(issuer: issuer, transport: try options(for: issuer)) { output.report($0) }
    }

    /// The transport flags, with `-H` and `-b` for the host this login talks to:
    /// the login URL's, else the issuer's (RequestCredentials).
    func options(for target: String?) throws(Failure) -> TransportOptions {
        var options = try transport.options()
        options.givenFor = target.map { URLParts($0).host }
        return options
    }

    /// Usage errors first, then discovery, then the grant.
    func runInteractive(_ grant: InteractiveGrant, context: ProfileContext, output: Output) throws(Failure) {
        guard let issuerURL = issuer else {
            throw Failure.usage(
                "--grant \(grant.rawValue) needs --issuer URL (or issuer in profile \(context.profile.name))"
            )
        }
        guard let clientID = endpoint.clientID else {
            throw Failure.usage("--grant \(grant.rawValue) needs --client-id (the client registered at the issuer)")
        }
        let secret = try endpoint.clientSecret.read()
        if let secret { output.redactor.register(secret) }
        let webSocket = try wsURL.map { text throws(Failure) in try WebSocketURL.parse(text) }
        let transport = try options(for: issuerURL)
        let metadata = try OAuthDiscovery.discover(issuer: issuerURL, transport: transport) { output.report($0) }
        let login = InteractiveLogin(
            metadata: metadata,
            clientID: clientID,
            clientSecret: secret,
            scope: scope,
            audience: audience,
            // Flag only: a profile's `timeout` is connect's (Login.flagOnlyKeys).
            timeout: timeout ?? TimeSpan(seconds: 300),
            paths: endpoint.tokenPaths,
            webSocket: webSocket
        )
        let credentials: Credentials
        switch grant {
        case .authorizationCode:
            let browser = !noBrowser
            credentials = try AuthorizationCodeFlow(
                login: login,
                store: context.store,
                transport: transport,
                openBrowser: browser
            )
            .run { output.report($0) }
        case .deviceCode:
            // The countdown line is cleared before every note and before the final line of a failure.
            defer { output.transient(nil) }
            credentials = try DeviceFlow(login: login, store: context.store, transport: transport).run(
                emit: {
                    output.transient(nil)
                    output.report($0)
                },
                waiting: {
                    output.transient("waiting for approval; the code expires in \(TimeSpan.format(seconds: $0))")
                }
            )
        }
        report(credentials, store: context.store, output: output)
    }
}
