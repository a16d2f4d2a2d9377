import ArgumentParser
import WSAuthKit

/// `wsauth logout`: forget the stored credentials, revoking them first when asked.
struct Logout: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Forget the stored credentials (and revoke them at --revoke-url).")

    @Option(name: .customLong("revoke-url"), help: ArgumentHelp("Revocation or logout endpoint to call first (default: the profile's revoke_url).", valueName: "URL"))
    var revokeURL: String?

    @OptionGroup var profileFlags: ProfileFlags
    @OptionGroup var outputFlags: OutputFlags
    @OptionGroup var transport: TransportFlags

    func run() {
        let output = Output(json: outputFlags.json, showSecrets: outputFlags.showSecrets, humanEventsToStdout: true)
        output.run { () throws(Failure) in
            let context = try ProfileContext(try ProfileName.select(flag: profileFlags.profile))
            if let current = try context.store.peek() { register(current, output.redactor) }
            let flow = LogoutFlow(store: context.store, transport: try transport.options())
            let had = try flow.run(revokeURL: try context.profile.string("revoke_url", flag: revokeURL)) { output.report($0) }
            output.line(had ? "logged out of profile \(context.profile.name)" : "profile \(context.profile.name) held no credentials")
        }
    }
}
