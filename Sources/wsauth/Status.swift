import ArgumentParser
import Glibc
import WSAuthKit

/// `wsauth status`: per profile, what is stored and how long it lasts.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what is stored per profile and how long each credential lasts.",
        discussion: "With -p or WSAUTH_PROFILE, that profile; otherwise every profile with stored credentials."
    )

    @OptionGroup var profileFlags: ProfileFlags
    @OptionGroup var outputFlags: OutputFlags

    func run() throws {
        let output = Output(json: outputFlags.json, showSecrets: outputFlags.showSecrets, humanEventsToStdout: true)
        try output.run { () throws(Failure) in
            let names = try profiles()
            for name in names {
                // Loading the profile checks config.toml too: a bad file is a usage error here as everywhere.
                let store = try ProfileContext(name).store
                let contents = try store.locked { (transaction: inout CredentialStore.Transaction) throws(Failure) in
                    try transaction.read()
                }
                if case .corrupt(let message) = contents { output.report(Event(.note(message))) }
                let credentials = contents.credentials
                output.emit(
                    Event(
                        .status(
                            StatusReport(
                                profile: name.value,
                                loggedIn: credentials != nil,
                                accessExpiresAt: credentials?.expiresAt,
                                refreshToken: credentials?.refreshToken != nil,
                                cookies: credentials?.cookieNames ?? []
                            )
                        )
                    )
                )
                if let credentials {
                    if let user = credentials.user { output.line("  user: \(user)") }
                    for cookie in credentials.cookies {
                        let expiry = Timestamp(timeIntervalSince1970: Double(cookie.expires))
                        let lasts =
                            cookie.expires == 0
                            ? "session cookie"
                            : "expires "
                                + HumanRenderer(redactor: output.redactor, verbose: false).describeExpiry(expiry)
                        output.line("  cookie \(cookie.name) for \(cookie.domain)\(cookie.path): \(lasts)")
                    }
                }
            }
        }
    }

    /// The selected profile, or every `NAME.json` in the state directory.
    private func profiles() throws(Failure) -> [ProfileName] {
        if profileFlags.profile != nil || getenv("WSAUTH_PROFILE") != nil {
            return [try ProfileName.select(flag: profileFlags.profile)]
        }
        let names = CredentialStore.storedProfiles(paths: try Paths.fromEnvironment())
        return names.isEmpty ? [.standard] : names
    }
}
