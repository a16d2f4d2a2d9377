import ArgumentParser
import WSAuthKit

/// Where `token` finds the token it prints or decodes.
struct TokenSourceFlags: ParsableArguments {
    @OptionGroup var token: SecretValueFlags<TokenSecret>
    @Flag(
        name: .customLong("id"),
        help: "The stored OpenID Connect ID token instead of the access token (its claims are decoded, not verified)."
    )
    var idToken = false

    /// The given token, else the profile's stored access token.
    func resolve(_ profileFlags: ProfileFlags) throws(Failure) -> Secret {
        if idToken, token.isGiven {
            throw Failure.usage(
                "--id reads the stored ID token: give it without --token, --token-env, --token-file or --token-stdin"
            )
        }
        if let token = try token.read() { return token }
        let context = try ProfileContext(try ProfileName.select(flag: profileFlags.profile))
        guard let credentials = try context.store.current() else {
            throw Failure(.auth, "not logged in (profile \(context.profile.name)); run 'wsauth login'")
        }
        if idToken {
            guard let id = credentials.idToken else {
                throw Failure(
                    .auth,
                    "profile \(context.profile.name) holds no ID token; log in with --grant authorization_code or device_code and --scope openid"
                )
            }
            return id
        }
        guard let access = credentials.accessToken else {
            throw Failure(.auth, "profile \(context.profile.name) holds a session cookie but no access token")
        }
        return access
    }

    /// The secrets of the profile's store, whatever the token's source; none when
    /// nothing (readable) is stored.
    static func storedSecrets(_ profileFlags: ProfileFlags) -> [Secret] {
        guard let name = try? ProfileName.select(flag: profileFlags.profile),
            let context = try? ProfileContext(name), let stored = try? context.store.peek()
        else { return [] }
        return stored.secrets
    }
}

/// `wsauth token`: the raw access token alone, for `$(wsauth token)`; with
/// `--decode` (or `token show`), its JWT header and claims.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print the stored access token (raw, for scripts), or decode it with --decode.",
        discussion: "This prints the secret itself, by design: use it as $(wsauth token).",
        subcommands: [TokenShow.self]
    )

    @Flag(help: "Decode the token instead of printing it: JWT header and claims, exp/iat/nbf.")
    var decode = false

    @OptionGroup var source: TokenSourceFlags
    @OptionGroup var profileFlags: ProfileFlags
    @OptionGroup var outputFlags: OutputFlags

    func run() throws {
        // Under --json stdout carries JSON objects only, so the token comes as its `token` event.
        if decode || outputFlags.json {
            try TokenShow.show(source: source, profileFlags: profileFlags, outputFlags: outputFlags)
            return
        }
        // Notes go to stderr: stdout is the token alone, for $(wsauth token).
        let output = Output(json: outputFlags.json, showSecrets: outputFlags.showSecrets)
        try output.run { () throws(Failure) in
            let token = try source.resolve(profileFlags)
            if let exp = JWT.decode(token.reveal())?.expiresAt, exp < Timestamp.now {
                output.report(
                    Event(
                        .note(
                            "warning: this token expired \(TimeSpan.format(seconds: -exp.timeIntervalSinceNow)) ago; run 'wsauth refresh'"
                        )
                    )
                )
            }
            output.reveal(token)
        }
    }
}

/// `wsauth token show`: the same as `token --decode`.
struct TokenShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Decode a token: JWT header and claims, exp/iat/nbf absolute and relative."
    )

    @OptionGroup var source: TokenSourceFlags
    @OptionGroup var profileFlags: ProfileFlags
    @OptionGroup var outputFlags: OutputFlags

    func run() throws {
        try TokenShow.show(source: source, profileFlags: profileFlags, outputFlags: outputFlags)
    }

    static func show(
        source: TokenSourceFlags,
        profileFlags: ProfileFlags,
        outputFlags: OutputFlags
    ) throws(CommandExit) {
        let output = Output(json: outputFlags.json, showSecrets: outputFlags.showSecrets, humanEventsToStdout: true)
        try output.run { () throws(Failure) in
            let token = try source.resolve(profileFlags)
            output.redactor.register(token)
            // A claim can quote the refresh token or a cookie of the same login.
            output.redactor.register(TokenSourceFlags.storedSecrets(profileFlags))
            if source.idToken {
                // OpenID Connect Core §3.1.3.7: trusting the claims needs the issuer's keys and checks of iss, aud, exp.
                output.report(
                    Event(
                        .note(
                            "ID token claims, decoded but not verified: the signature, issuer and audience were not checked"
                        )
                    )
                )
            }
            output.emit(Event(.token(TokenReport.describe(token))))
        }
    }
}
