import ArgumentParser
import WSAuthKit

/// `wsauth refresh [URL]`: exchange the stored refresh token, once across processes.
struct Refresh: ProfileCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Exchange the stored refresh token for new tokens and store them.",
        discussion: """
            Concurrent refreshes of one profile call the endpoint once: one process \
            refreshes, the others wait for it and use its result. With \
            --if-expiring-within, nothing happens while the token is good for longer. \
            Without URL: the profile's refresh_url, else the endpoint recorded at login.
            """
    )

    @Argument(help: "The refresh endpoint (default: the profile's refresh_url, else the one recorded at login).")
    var url: String?

    @OptionGroup var refreshOptions: RefreshOptions

    @OptionGroup var profileFlags: ProfileFlags
    @OptionGroup var outputFlags: OutputFlags
    @OptionGroup var transport: TransportFlags

    func run() throws {
        let startedAt = Timestamp.now
        let output = Output(json: outputFlags.json, showSecrets: outputFlags.showSecrets, humanEventsToStdout: true)
        try output.run { () throws(Failure) in
            let context = try ProfileContext(try ProfileName.select(flag: profileFlags.profile))
            let settings = try refreshOptions.settings(url: url ?? context.settings.refreshURL, context: context)
            let current = try context.store.peek()
            // `-H` and `-b` are for the refresh endpoint this command calls.
            var options = try transport.options()
            options.givenFor = (settings.url ?? current?.refreshEndpoint?.url).map { URLParts($0).host }
            let flow = RefreshFlow(store: context.store, transport: options, settings: settings, startedAt: startedAt)
            if let current { output.redactor.register(current.secrets) }
            let (credentials, _) = try flow.run { output.report($0) }
            output.redactor.register(credentials.secrets)
        }
    }
}

/// How `wsauth refresh` refreshes: its flags, and, read from the profile alone
/// (`ProfileKeys.parse(RefreshOptions.self, …)`), the refreshes of `connect`, `probe`,
/// `audit` and `doctor`.
struct RefreshOptions: ProfileReader {
    static let tableName = "refresh-options"

    @OptionGroup var endpoint: TokenEndpointFlags
    @Option(
        name: .customLong("if-expiring-within"),
        help: ArgumentHelp("Refresh only when the token expires within this.", valueName: "DURATION"),
        transform: TimeSpan.read
    )
    var ifExpiringWithin: TimeSpan?

    /// The refresh these flags ask for, at `url`.
    func settings(url: String?, context: ProfileContext) throws(Failure) -> RefreshSettings {
        var settings = RefreshSettings(
            url: url,
            style: endpoint.style,
            field: endpoint.field,
            clientID: endpoint.clientID,
            clientSecret: try endpoint.clientSecret.read(),
            paths: endpoint.tokenPaths,
            ifExpiringWithin: ifExpiringWithin
        )
        settings.binding = context.binding
        return settings
    }

    /// What `wsauth refresh` without a URL would do for this profile.
    static func settings(of context: ProfileContext) throws(Failure) -> RefreshSettings {
        try ProfileKeys.parse(RefreshOptions.self, profile: context.profile)
            .settings(url: context.settings.refreshURL, context: context)
    }
}
