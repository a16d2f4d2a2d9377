import ArgumentParser

/// Flags every credential command takes: the profile and the output form.
struct CommonFlags: ParsableArguments {
    @Option(name: [.customShort("p"), .long], help: ArgumentHelp("Profile (default: $WSAUTH_PROFILE, else 'default').", valueName: "NAME"))
    var profile: String?

    @Flag(help: "One JSON event per line on stdout.")
    var json = false

    @Flag(name: .customLong("show-secrets"), help: "Show tokens, passwords and cookie values unredacted.")
    var showSecrets = false
}
