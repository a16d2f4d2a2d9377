import Testing

@testable import WSAuthKit

/// A profile's keys reach a command as its own flags (docs/reference/profile-keys.md), the command
/// line winning; bad values name the file, line and key.
struct ProfileArgumentsTests {
    private let flags = [
        FlagSpec(long: "timeout", takesValue: true),
        FlagSpec(long: "header", short: "H", takesValue: true, repeats: true),
        FlagSpec(long: "insecure", short: "k", takesValue: false),
        FlagSpec(long: "verbose", short: "v", takesValue: false),
        FlagSpec(long: "auth-close-codes", takesValue: true),
        FlagSpec(long: "token-env", takesValue: true),
        FlagSpec(long: "token-file", takesValue: true),
        FlagSpec(long: "user", takesValue: true),
    ]

    private func profile(_ toml: String) throws -> Profile {
        try Profile.parse("[profiles.default]\n" + toml, name: .standard, file: "/c/config.toml")
    }

    private func arguments(_ toml: String, commandLine: [String] = [], flagOnly: Set<String> = []) throws -> [String] {
        let settings = try ProfileArguments(
            profile: profile(toml),
            flags: flags,
            alternatives: [["token_env", "token_file"]],
            flagOnly: flagOnly
        ).settings(commandLine: commandLine)
        return settings.flatMap(\.arguments)
    }

    private func failure(_ toml: String) throws -> String? {
        do {
            _ = try ProfileArguments(profile: profile(toml), flags: flags).settings(commandLine: [])
            return nil
        } catch let error as Failure {
            return error.message
        }
    }

    private func warnings(_ toml: String, commandLine: [String] = []) throws -> [String] {
        let arguments = ProfileArguments(profile: try profile(toml), flags: flags)
        return arguments.warnings(for: try arguments.settings(commandLine: commandLine))
    }

    @Test func aProfilesInsecureIsSaidOnEveryRunThatUsesIt() throws {
        let said = try warnings("timeout = \"5s\"\ninsecure = true\n")
        #expect(said.count == 1)
        #expect(said.first?.contains("TLS certificates are not verified") == true)
        #expect(said.first?.contains("/c/config.toml:3") == true, "names the file and line: \(said)")
        #expect(try warnings("insecure = false\n").isEmpty)
        #expect(try warnings("timeout = \"5s\"\n").isEmpty)
        #expect(
            try warnings("insecure = true\n", commandLine: ["-k"]).isEmpty,
            "-k typed for this run is not repeated back"
        )
        #expect(try warnings("insecure = true\n", commandLine: ["--insecure"]).isEmpty)
    }

    @Test func valuesBecomeTheirFlagsInTheOrderOfTheFile() throws {
        let toml =
            "timeout = \"5s\"\nheader = [\"X-A: 1\", \"-odd: 2\"]\ninsecure = true\nverbose = false\nauth_close_codes = [4001, 4003]\n"
        #expect(
            try arguments(toml) == [
                "--timeout=5s", "--header=X-A: 1", "--header=-odd: 2", "--insecure", "--auth-close-codes=4001,4003",
            ]
        )
        #expect(try arguments("timeout = 2.5\nheader = \"X-B: 3\"\n") == ["--timeout=2.5", "--header=X-B: 3"])
        #expect(try arguments("timeout = 7\n") == ["--timeout=7"])
    }

    @Test func theCommandLineWinsByAnyNameOfTheFlag() throws {
        let toml = "timeout = \"5s\"\nheader = [\"X-A: 1\"]\ninsecure = true\nverbose = true\n"
        #expect(
            try arguments(toml, commandLine: ["--timeout", "1s"]) == ["--header=X-A: 1", "--insecure", "--verbose"]
        )
        #expect(try arguments(toml, commandLine: ["--timeout=1s", "-H", "X: y"]) == ["--insecure", "--verbose"])
        #expect(try arguments(toml, commandLine: ["-vk", "ws://h/"]) == ["--timeout=5s", "--header=X-A: 1"])
        // A negative number, or a value joined to a short name, is no cluster of flags: ArgumentParser
        // refuses `-Hkv: 1` (no flag is `allowingJoined`), and so it gives none.
        #expect(
            try arguments(toml, commandLine: ["-Hkv: 1", "-1.5"]) == [
                "--timeout=5s", "--header=X-A: 1", "--insecure", "--verbose",
            ]
        )
        // After `--` everything is a value, not a flag.
        #expect(
            try arguments(toml, commandLine: ["--", "--timeout"]) == [
                "--timeout=5s", "--header=X-A: 1", "--insecure", "--verbose",
            ]
        )
    }

    @Test func oneSourceOfASecretOnTheCommandLineDropsTheProfilesOthers() throws {
        let toml = "token_file = \"/t\"\ntimeout = 1\n"
        #expect(try arguments(toml) == ["--token-file=/t", "--timeout=1"])
        #expect(try arguments(toml, commandLine: ["--token-env", "T"]) == ["--timeout=1"])
    }

    @Test func keysWithoutAFlagOrTakenFromFlagsOnlyAreNotSettings() throws {
        #expect(
            try arguments("login_url = \"x\"\nhosts = [\"a\"]\nuser = \"alice\"\ntimeout = 1\n", flagOnly: ["user"])
                == ["--timeout=1"]
        )
    }

    @Test func aValueOfTheWrongShapeNamesFileLineAndKey() throws {
        #expect(
            try failure("timeout = 1\ninsecure = \"yes\"\n")
                == "/c/config.toml:3: profiles.default.insecure must be true or false"
        )
        #expect(
            try failure("timeout = true\n")
                == "/c/config.toml:2: profiles.default.timeout must be a string, a number or an array of them"
        )
        #expect(
            try failure("header = [[\"a\"]]\n")
                == "/c/config.toml:2: profiles.default.header must be an array of strings or numbers"
        )
    }

    @Test func theSettingsThatAreNotFlagsAreTyped() throws {
        #expect(
            try profile("hosts = \"one.example\"\nws_url = \"ws://h/\"\n").settings()
                == ProfileSettings(webSocketURL: "ws://h/", hosts: ["one.example"])
        )
        #expect(
            try profile("refresh_url = \"r\"\nhosts = [\"a\", \"b\"]\n").settings()
                == ProfileSettings(refreshURL: "r", hosts: ["a", "b"])
        )
        do {
            _ = try profile("login_url = \"x\"\nhosts = [1]\n").settings()
            Issue.record("expected a failure")
        } catch let error as Failure {
            #expect(error.message == "/c/config.toml:3: profiles.default.hosts must be a string or an array of strings")
        }
    }

    @Test func aSecretValueIsRefusedWithWhereToPutIt() {
        let schema = ProfileSchema(
            knownKeys: ["token_env"],
            refused: ["token": "a secret is not kept in config.toml; use token_env or token_file"]
        )
        do throws(Failure) {
            try schema.check("[profiles.ci]\ntoken = \"abc\"\n", file: "/c/config.toml")
            Issue.record("expected a failure")
        } catch {
            #expect(
                error.message
                    == "/c/config.toml:2: 'token' cannot be set in [profiles.ci]: a secret is not kept in config.toml; use token_env or token_file"
            )
            #expect(!error.message.contains("abc"))
        }
    }
}
