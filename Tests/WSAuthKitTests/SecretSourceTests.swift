import Testing

@testable import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// The one rule for reading a secret (docs/choices.md): first line of a file, the
/// environment value less one trailing newline; errors name the flag as given.
struct SecretSourceTests {
    private let temporary = TemporaryDirectory()

    private func file(_ content: String) -> String {
        let path = temporary.path + "/secret"
        _ = try? FileIO.replaceAtomically(path, with: Array(content.utf8))
        return path
    }

    private func usageMessage(_ body: () throws(Failure) -> Any?) -> String? {
        do {
            _ = try body()
            return nil
        } catch { return error.kind == .usage ? error.message : "not a usage error" }
    }

    @Test func aFileGivesItsFirstLineWithoutTheLineEnding() throws {
        #expect(try SecretSource.file(file("tok-1\nsecond line\n")).read(flag: "--token").reveal() == "tok-1")
        #expect(try SecretSource.file(file("tok-2\r\nmore")).read(flag: "--token").reveal() == "tok-2")
        #expect(try SecretSource.file(file("no newline")).read(flag: "--token").reveal() == "no newline")
        #expect(try SecretSource.file(file(" spaced pw \n")).read(flag: "--password").reveal() == " spaced pw ")
    }

    @Test func anEnvironmentValueLosesOneTrailingNewline() throws {
        setenv("WSAUTH_SECRET_SOURCE_TEST", "value\n", 1)
        defer { unsetenv("WSAUTH_SECRET_SOURCE_TEST") }
        #expect(try SecretSource.environment("WSAUTH_SECRET_SOURCE_TEST").read(flag: "--token").reveal() == "value")
    }

    @Test func errorsNameTheFlagOrProfileKeyAsGiven() {
        #expect(
            usageMessage { () throws(Failure) -> Any? in
                try SecretSource.environment("WSAUTH_UNSET_VARIABLE").read(flag: "--expired-token")
            } == "--expired-token-env WSAUTH_UNSET_VARIABLE: the environment variable is not set"
        )
        #expect(
            usageMessage { () throws(Failure) -> Any? in
                try SecretSource.file("/nonexistent/x").read(flag: "client_secret")
            } == "client_secret_file /nonexistent/x: cannot read the file"
        )
        #expect(
            usageMessage { () throws(Failure) -> Any? in
                try SecretSource.file(file("\nsecond")).read(flag: "--password")
            } == "--password-file \(file("\nsecond")): the secret is empty"
        )
        #expect(
            usageMessage { () throws(Failure) -> Any? in
                try SecretSource.choose(flag: "--token", environment: "A", file: "B", stdin: false)
            } == "give only one of --token-env, --token-file and --token-stdin"
        )
    }
}
