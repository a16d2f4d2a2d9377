import ArgumentParser
import WSAuthKit

/// The flags of `connect` after the URL and profile, declared once: `doctor` takes
/// them all, so that a `wsauth connect …` that fails becomes `wsauth doctor …`.
struct ConnectFlags: ParsableArguments {
    @OptionGroup(title: "Credentials") var credentials: CredentialFlags
    @OptionGroup(title: "Application protocol") var appFlags: AppFlags
    @OptionGroup(title: "Scripting") var scripting: ScriptFlags
    @OptionGroup(title: "Reconnecting") var reconnect: ReconnectFlags
    @OptionGroup(title: "Transport") var transport: TransportFlags
    @OptionGroup(title: "Output") var outputFlags: OutputFlags

    @Option(
        name: .customLong("binary-as"),
        help: ArgumentHelp(
            "Show received binary messages as raw bytes, hex or base64 (default: raw when stdout is not a terminal, hex when it is).",
            valueName: "STYLE"
        )
    )
    var binaryAs: BinaryStyle?
}
