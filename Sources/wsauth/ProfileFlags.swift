import ArgumentParser

/// `-p/--profile` (docs/reference/profile-keys.md), for every command that reads the config or the store.
struct ProfileFlags: ParsableArguments {
    @Option(
        name: [.customShort("p"), .long],
        help: ArgumentHelp("Profile (default: $WSAUTH_PROFILE, else 'default').", valueName: "NAME")
    )
    var profile: String?
}
