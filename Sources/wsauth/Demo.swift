import ArgumentParser
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// `wsauth demo`: the whole story on a fresh machine, told step by step against
/// the reference server (`wsauth-serve`, started as a child process). Every step runs
/// the same library code as the real commands; only the narration is extra.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Walk through login → connect → token expiry (close 4001) → refresh → reconnect, the same in Socket.IO, logout, then a device-flow login, narrated.",
        discussion:
            "Starts the reference server (wsauth-serve) on a free loopback port with 5-second tokens. Touches no stored credentials of yours."
    )

    @Option(
        name: .customLong("token-ttl"),
        help: ArgumentHelp("How long the demo's access tokens live (default 5s).", valueName: "DURATION"),
        transform: TimeSpan.read
    )
    var tokenTTL = TimeSpan(seconds: 5)

    @OptionGroup(title: "Output") var outputFlags: OutputFlags

    func validate() throws {
        guard tokenTTL.seconds >= 1, tokenTTL.seconds <= 60 else {
            throw ValidationError("invalid --token-ttl \(tokenTTL): use 1s to 60s, the demo waits for it to pass")
        }
    }

    func run() throws {
        let output = Output(json: outputFlags.json, showSecrets: outputFlags.showSecrets, humanEventsToStdout: true)
        do throws(Failure) {
            try DemoScript(output: output, ttl: tokenTTL).run()
        } catch {
            try output.fail(error)
        }
    }
}

/// A private temporary directory for the demo's profile, removed afterwards.
struct ScratchDirectory {
    let path: String

    init() throws(Failure) {
        var template = Array("/tmp/wsauth-demo-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(.internal, "could not create a temporary directory for the demo")
        }
        path = String(cString: made)
    }

    func remove() {
        for name in FileIO.directoryEntries(path) { unlink(path + "/" + name) }
        rmdir(path)
    }
}
