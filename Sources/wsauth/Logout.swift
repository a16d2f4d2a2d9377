import ArgumentParser
import WSAuthKit

/// `wsauth logout`: forget the stored credentials, revoking them first when asked.
struct Logout: ProfileCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Forget the stored credentials (and revoke them at --revoke-url).",
        discussion: """
            With --revoke-url (or the profile's revoke_url, else the revocation endpoint \
            that login --issuer discovered) the tokens are revoked first, \
            as RFC 7009 says by default: a form body token=…&token_type_hint=refresh_token \
            (the access token when no refresh token is stored), the client authenticated \
            with HTTP Basic when it has a secret, else named in client_id (the client \
            recorded at login, or --client-id) with the access token as a Bearer token. \
            --revoke-style json sends {"refresh_token":…} with the Bearer token instead. \
            The stored cookies go along. The local credentials are forgotten even when \
            the server refuses; the exit status then says so.
            """
    )

    @Option(
        name: .customLong("revoke-url"),
        help: ArgumentHelp(
            "Revocation or logout endpoint to call first (default: the profile's revoke_url).",
            valueName: "URL"
        )
    )
    var revokeURL: String?
    @Option(
        name: .customLong("revoke-style"),
        help: ArgumentHelp("Revocation body: rfc7009 (form, default) or json.", valueName: "STYLE")
    )
    var revokeStyle: RevokeStyle?
    @Option(name: .customLong("client-id"), help: "OAuth 2.0 client id (default: the one recorded at login).")
    var clientID: String?
    @OptionGroup var clientSecret: SecretSourceFlags<ClientSecret>

    @OptionGroup var profileFlags: ProfileFlags
    @OptionGroup var outputFlags: OutputFlags
    @OptionGroup var transport: TransportFlags

    func run() throws {
        let output = Output(json: outputFlags.json, showSecrets: outputFlags.showSecrets, humanEventsToStdout: true)
        try output.run { () throws(Failure) in
            let context = try ProfileContext(try ProfileName.select(flag: profileFlags.profile))
            let current = try context.store.peek()
            if let current { output.redactor.register(current.secrets) }
            // `-H` and `-b` are for the revocation endpoint this command calls.
            var options = try transport.options()
            options.givenFor = (revokeURL ?? current?.revocationURL).map { URLParts($0).host }
            var flow = LogoutFlow(store: context.store, transport: options)
            flow.binding = context.binding
            try configureRevocation(&flow, redactor: output.redactor)
            let had = try flow.run(revokeURL: revokeURL) { output.report($0) }
            output.line(
                had
                    ? "logged out of profile \(context.profile.name)"
                    : "profile \(context.profile.name) held no credentials"
            )
        }
    }

    private func configureRevocation(_ flow: inout LogoutFlow, redactor: Redactor) throws(Failure) {
        flow.style = revokeStyle ?? .rfc7009
        flow.clientID = clientID
        flow.clientSecret = try clientSecret.read()
        if let secret = flow.clientSecret { redactor.register(secret) }
    }
}
