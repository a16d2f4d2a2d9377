import Testing
import WSAuthKit

@testable import ArgumentParser
@testable import wsauth

/// A profile's keys reach a command as its own flags, parsed by the flags' own parsers
/// (docs/reference/profile-keys.md); a value the parser refuses names the file, line and key.
struct ProfileKeysTests {
    private func profile(_ toml: String) throws -> Profile {
        try Profile.parse("[profiles.default]\n" + toml, name: .standard, file: "/c/config.toml")
    }

    @Test func keysBecomeTheCommandsFlags() throws {
        let connect = try ProfileKeys.parse(
            Connect.self,
            profile: try profile(
                """
                header = ["A: 1", "B: 2"]
                max_time = "5s"
                insecure = true
                """
            )
        )
        #expect(connect.flags.transport.header == ["A: 1", "B: 2"])
        #expect(try connect.flags.transport.maxTime == TimeSpan.read("5s"))
        #expect(connect.flags.transport.insecure)
    }

    @Test func theCommandLineWins() throws {
        let probe = try ProfileKeys.parse(
            Probe.self,
            profile: try profile("header = [\"A: 1\"]\ntimeout = \"5s\"\n"),
            commandLine: ["-H", "C: 3"]
        )
        #expect(probe.transport.header == ["C: 3"])
        #expect(try probe.timeout == TimeSpan.read("5s"))
    }

    @Test func aValueTheFlagRefusesNamesFileLineAndKey() throws {
        let bad = try profile("insecure = false\ntimeout = \"soon\"\n")
        let error = #expect(throws: Failure.self) { try ProfileKeys.parse(Probe.self, profile: bad) }
        #expect(error?.kind == .usage)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("/c/config.toml:3: profiles.default.timeout: "), "\(message)")
    }

    @Test func aValueOfTheWrongTypeNamesItsKey() throws {
        let bad = try profile("insecure = \"yes\"\n")
        let error = #expect(throws: Failure.self) { try ProfileKeys.parse(Connect.self, profile: bad) }
        #expect(error?.message == "/c/config.toml:2: profiles.default.insecure must be true or false")
    }

    /// connect's refreshes read `refresh`'s settings as the group of its flags, not by
    /// parsing `refresh`: the group's keys only, its other keys (`header`) left to the commands.
    @Test func refreshOptionsAreReadAloneFromTheProfile() throws {
        let options = try ProfileKeys.parse(
            RefreshOptions.self,
            profile: try profile(
                """
                client_id = "cli"
                header = ["A: 1"]
                style = "oauth2"
                if_expiring_within = "1m"
                """
            )
        )
        #expect(options.endpoint.clientID == "cli")
        #expect(options.endpoint.style == .oauth2)
        #expect(try options.ifExpiringWithin == TimeSpan.read("1m"))
    }

    /// audit's throwaway login reads what `wsauth login` would post as its own group.
    @Test func loginCredentialsAreReadAloneFromTheProfile() throws {
        let login = try ProfileKeys.parse(
            LoginCredentials.self,
            profile: try profile(
                """
                user = "ann"
                password_env = "PW"
                timeout = "5s"
                token_path = "data.jwt"
                """
            )
        )
        #expect(login.user == "ann")
        #expect(login.password.isGiven)
        #expect(login.grant == nil)
        let endpoint = try ProfileKeys.parse(
            TokenEndpointFlags.self,
            profile: try profile("token_path = \"data.jwt\"\n")
        )
        #expect(endpoint.tokenPath == "data.jwt")
    }

    /// The keys one command takes from its flags only are not its settings (Login.flagOnlyKeys).
    @Test func flagOnlyKeysAreLeftToTheirCommand() throws {
        let both = try profile("timeout = \"5s\"\n")
        #expect(try ProfileKeys.parse(Probe.self, profile: both).timeout == TimeSpan.read("5s"))
        #expect(try ProfileKeys.parse(Login.self, profile: both).timeout == nil)
    }
}

/// `givenKeys` decides which of a profile's settings the command line overrides; it must
/// say what ArgumentParser itself parses from the same words.
struct GivenFlagsTests {
    /// The long flags ArgumentParser's own parser sets from `arguments`, as profile keys.
    private func parsedByArgumentParser(
        _ command: any ParsableCommand.Type,
        _ arguments: [String]
    ) throws -> Set<String> {
        var parser = LenientParser(command, try SplitArguments(arguments: arguments))
        let values = try parser.parse()
        var given: Set<String> = []
        for definition in ArgumentSet(command, visibility: .private, parent: nil) {
            guard case .named(let names) = definition.kind,
                let long = names.lazy.compactMap({ name -> String? in
                    if case .long(let long) = name { long } else { nil }
                }).first
            else { continue }
            let fromTheLine = definition.help.keys.contains { key in
                values.elements[key]?.inputOrigin.elements.contains { $0 != .defaultValue } ?? false
            }
            if fromTheLine { given.insert(FlagSpec(long: long, takesValue: false).key) }
        }
        return given
    }

    @Test(arguments: [
        ["ws://h", "-k"],
        ["ws://h", "-vk", "--max-time", "5"],
        ["-H", "A: 1", "--header=B: 2", "ws://h"],
        ["ws://h", "--token-env", "T", "-m", "3"],
        ["ws://h", "--expect", "-", "--count", "2"],
        ["ws://h", "-b", "c.txt", "-c", "jar.txt", "-x", "http://p"],
        ["-k", "--", "ws://h"],
        ["ws://h", "--insecure", "--resolve", "h:443:127.0.0.1"],
    ])
    func connectAgreesWithArgumentParser(arguments: [String]) throws {
        #expect(throws: Never.self) { try Connect.parse(arguments) }
        let ours = ProfileKeys.flags(of: Connect.self).givenKeys(in: arguments)
        #expect(ours == (try parsedByArgumentParser(Connect.self, arguments)))
    }

    /// `-Hvalue` is refused by ArgumentParser (no flag of ours is `allowingJoined`), so it
    /// gives nothing; so is a cluster with a letter that names no flag.
    @Test(arguments: [["-HX: 1", "ws://h"], ["-kq", "ws://h"]])
    func wordsArgumentParserRefusesGiveNothing(arguments: [String]) {
        #expect(throws: (any Error).self) { try Connect.parse(arguments) }
        #expect(ProfileKeys.flags(of: Connect.self).givenKeys(in: arguments).isEmpty)
    }
}
