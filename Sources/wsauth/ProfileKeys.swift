import ArgumentParser
import WSAuthKit

/// Flags a profile gives values to: a command that reads a profile, or a group of a
/// command's flags that another command needs as the profile sets them (`RefreshOptions`
/// for the refreshes of connect, probe, audit and doctor; `LoginCredentials` and
/// `TokenEndpointFlags` for audit's throwaway login), so that no command parses another.
protocol ProfileReader: ParsableArguments {
    /// Its entry in `ProfileKeys.flagTable`.
    static var tableName: String { get }
    /// Keys it takes from its flags only, not from the profile.
    static var flagOnlyKeys: Set<String> { get }
}

extension ProfileReader {
    static var flagOnlyKeys: Set<String> { [] }
}

/// A command that reads a profile: its settings arrive as its own flags.
protocol ProfileCommand: ParsableCommand, ProfileReader {
    var profileFlags: ProfileFlags { get }
}

extension ProfileCommand {
    static var tableName: String { configuration.commandName ?? "" }
}

/// The keys of a profile (docs/reference/profile-keys.md): `ProfileSettings` (the URLs and `hosts`)
/// and every long flag of the commands that read a profile, in snake_case. The flags
/// are ArgumentParser's own model of each command, written into `flagTable`
/// (ProfileFlagTable.swift) by a unit test that fails when it is out of step
/// (Tests/wsauthTests/ProfileFlagTableTests.swift), so a new flag is a known key, and a
/// setting of its command, without a list to keep.
enum ProfileKeys {
    /// Flags that choose the profile or ask for help: not settings.
    static let notSettings: Set<String> = ["help", "version", "profile"]
    /// Keys refused with a reason rather than as unknown.
    static let refused: [String: String] = [
        "token": "a secret is not kept in config.toml; use token_env or token_file",
        "expired_token": "a secret is not kept in config.toml; use expired_token_env or expired_token_file",
        "show_secrets": "showing secrets is asked for one run at a time, with --show-secrets",
    ]
    /// The secret flags, each with its `-env`, `-file` and `-stdin` sources.
    static let secrets: [any SecretFlagName.Type] = [
        TokenSecret.self, ExpiredTokenSecret.self, PasswordSecret.self, ClientSecret.self,
    ]
    /// The sources of one secret: the command line giving one drops the profile's others.
    static let alternatives: [Set<String>] =
        secrets.map { name in
            let key = String(name.long.map { $0 == "-" ? "_" : $0 })
            return [key, key + "_env", key + "_file", key + "_stdin"]
        } + [["data", "user", "password_env", "password_file", "password_stdin"]]

    static var schema: ProfileSchema {
        var keys = ProfileSettings.keys
        for flag in flagTable.values.joined() where !notSettings.contains(flag.long) { keys.insert(flag.key) }
        return ProfileSchema(knownKeys: keys.subtracting(refused.keys), refused: refused)
    }

    /// Checks the config file, if there is one, before a command reads it.
    static func checkConfigFile() throws(Failure) {
        let paths = try Paths.fromEnvironment()
        guard let text = try FileIO.readText(paths.configFile) else { return }
        try schema.check(text, file: paths.configFile)
    }

    /// `command` parsed again with its profile's settings in front of `commandLine`
    /// (the arguments after the command's name, which parsed alone); `warn` hears the
    /// settings' warnings (`ProfileArguments.warnings`).
    static func applyingProfile<Command: ProfileCommand>(
        to command: Command,
        commandLine: [String],
        warn: (String) -> Void
    ) throws(Failure) -> Command {
        let profile = try Profile.load(
            try ProfileName.select(flag: command.profileFlags.profile),
            paths: try Paths.fromEnvironment()
        )
        guard !profile.values.isEmpty else { return command }
        let arguments = profileArguments(Command.self, profile: profile)
        let settings = try arguments.settings(commandLine: commandLine)
        let parsed = try parse(Command.self, profile: profile, settings: settings, commandLine: commandLine)
        arguments.warnings(for: settings).forEach(warn)
        return parsed
    }

    /// The groups of flags that are read from a profile apart from their command.
    static let optionGroups: [any ProfileReader.Type] = [
        RefreshOptions.self, LoginCredentials.self, TokenEndpointFlags.self,
    ]

    /// `Reader` from the profile's settings and `commandLine`.
    static func parse<Reader: ProfileReader>(
        _ type: Reader.Type,
        profile: Profile,
        commandLine: [String] = []
    ) throws(Failure) -> Reader {
        let settings = try profileArguments(type, profile: profile).settings(commandLine: commandLine)
        return try parse(type, profile: profile, settings: settings, commandLine: commandLine)
    }

    private static func profileArguments(_ type: any ProfileReader.Type, profile: Profile) -> ProfileArguments {
        ProfileArguments(
            profile: profile,
            flags: flags(of: type),
            alternatives: alternatives,
            flagOnly: type.flagOnlyKeys
        )
    }

    /// A value the flag's parser refuses is a usage error naming the file, the line and the key.
    private static func parse<Reader: ProfileReader>(
        _ type: Reader.Type,
        profile: Profile,
        settings: [ProfileArguments.Setting],
        commandLine: [String]
    ) throws(Failure) -> Reader {
        do {
            return try type.parse(settings.flatMap(\.arguments) + commandLine)
        } catch {
            // The command line parses alone (Main checked): one setting is at fault.
            for setting in settings {
                do { _ = try type.parse(setting.arguments + commandLine) } catch {
                    throw Failure.usage(
                        "\(profile.place(setting.key)): profiles.\(profile.name).\(setting.key): \(firstLine(type.message(for: error)))"
                    )
                }
            }
            throw Failure.usage(
                "\(profile.file ?? "config.toml"): profiles.\(profile.name): \(firstLine(type.message(for: error)))"
            )
        }
    }

    private static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? text
    }

    /// The long flags of `reader`.
    static func flags(of reader: any ProfileReader.Type) -> [FlagSpec] {
        flagTable[reader.tableName] ?? []
    }
}
