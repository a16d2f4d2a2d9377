import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WSAuthKit

/// The keys of a profile (cli.md "Profiles"): the URLs, `hosts`, `app`, and every long
/// flag of the commands that read a profile, in snake_case. The flags are read from
/// ArgumentParser's own description of each command, so a new flag is a known key
/// without a second list to keep.
enum ProfileKeys {
    static let commands: [ParsableCommand.Type] = [Login.self, Refresh.self, Connect.self, Probe.self, Logout.self, Audit.self]
    static let urlsAndScope: Set<String> = ["login_url", "refresh_url", "revoke_url", "ws_url", "hosts", "app"]
    /// Flags that choose the profile or only shape one run's output: not settings.
    static let notSettings: Set<String> = ["help", "version", "profile"]

    static var schema: ProfileSchema {
        var keys = urlsAndScope
        for command in commands {
            for flag in longFlags(of: command) where !notSettings.contains(flag) {
                keys.insert(String(flag.map { $0 == "-" ? "_" : $0 }))
            }
        }
        return ProfileSchema(knownKeys: keys)
    }

    /// Checks the config file, if there is one, before a command reads it.
    static func checkConfigFile() throws(Failure) {
        let paths = try Paths.fromEnvironment()
        guard let text = try FileIO.readText(paths.configFile) else { return }
        try schema.check(text, file: paths.configFile)
    }

    private struct ToolInfo: Decodable {
        struct Command: Decodable { var arguments: [Argument]? }
        struct Argument: Decodable { var names: [Name]? }
        struct Name: Decodable { var kind: String; var name: String }
        var command: Command
    }

    private static func longFlags(of command: ParsableCommand.Type) -> [String] {
        guard let info = try? JSONDecoder().decode(ToolInfo.self, from: Data(command._dumpHelp().utf8)) else { return [] }
        return (info.command.arguments ?? []).flatMap { $0.names ?? [] }.filter { $0.kind == "long" }.map(\.name)
    }
}
