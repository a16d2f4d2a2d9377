import Testing

@testable import WSAuthKit

/// An unknown key in a profile is named with its file, line and the closest known key.
struct ProfileSchemaTests {
    private let schema = ProfileSchema(knownKeys: [
        "login_url", "refresh_url", "token_in", "client_secret_env", "hosts",
    ])

    private func message(_ text: String) -> String? {
        do {
            try schema.check(text, file: "/c/config.toml")
            return nil
        } catch { return error.message }
    }

    @Test func aMisspelledKeyNamesFileLineAndTheClosestKey() {
        let text = "[profiles.default]\nlogin_url = \"x\"\n\n[profiles.staging]\n# a comment\nrefresh-url = \"y\"\n"
        #expect(
            message(text)
                == "/c/config.toml:6: unknown key 'refresh-url' in [profiles.staging]; did you mean refresh_url?"
        )
        #expect(
            message("[profiles.a]\ntokn_in = \"query\"\n")
                == "/c/config.toml:2: unknown key 'tokn_in' in [profiles.a]; did you mean token_in?"
        )
    }

    @Test func aKeyFarFromEveryKnownOneGetsNoSuggestion() {
        #expect(
            message("[profiles.a]\ncolour = \"blue\"\n") == "/c/config.toml:2: unknown key 'colour' in [profiles.a]"
        )
    }

    @Test func knownKeysQuotedKeysAndOtherTablesPass() {
        #expect(
            message("[profiles.a]\n\"login_url\" = \"x\"\nhosts = [\"a\", \"b\"]\nclient_secret_env = \"S\"\n") == nil
        )
        #expect(message("[other]\nanything = 1\n") == nil)
        #expect(message("") == nil)
    }

    @Test func theFirstUnknownKeyByLineIsReported() {
        #expect(
            message("[profiles.a]\nzzz_b = 1\nlogin_ur = \"x\"\n[profiles.b]\nyyy = 2\n")
                == "/c/config.toml:2: unknown key 'zzz_b' in [profiles.a]"
        )
    }
}
