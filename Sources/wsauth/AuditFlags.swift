import ArgumentParser
import WSAuthKit

/// The flags only `audit` has: an expired token to judge with, the logout URL, the
/// watch, what to run, where the JUnit and SARIF reports go.
struct AuditFlags: ParsableArguments {
    @OptionGroup var expiredToken: SecretValueFlags<ExpiredTokenSecret>

    @Option(
        name: .customLong("logout-url"),
        help: ArgumentHelp(
            "Logout endpoint for the after-logout check. It is POSTed with the token and session cookie given, which REVOKES them: give a throwaway login.",
            valueName: "URL"
        )
    )
    var logoutURL: String?

    @Flag(
        name: .customLong("watch-expiry"),
        help:
            "Stay connected until the token's exp + --grace and report whether, when and with which code the server closes (takes the token's remaining lifetime)."
    )
    var watchExpiry = false

    @Option(
        help: ArgumentHelp(
            "How long past exp a socket may stay open before watch-expiry fails (default 5s).",
            valueName: "DURATION"
        ),
        transform: TimeSpan.read
    )
    var grace = TimeSpan(seconds: 5)

    @Option(
        help: ArgumentHelp(
            "How long an upgraded socket must stay open to count as accepted (default 500ms).",
            valueName: "DURATION"
        ),
        transform: TimeSpan.read
    )
    var settle = TimeSpan(seconds: 0.5)

    @Option(
        help: ArgumentHelp(
            "Run only these checks (comma-separated names or groups: placement, origin).",
            valueName: "LIST"
        )
    )
    var only: String?

    @Option(help: ArgumentHelp("Leave out these checks (comma-separated names or groups).", valueName: "LIST"))
    var skip: String?

    @Option(help: ArgumentHelp("Also write the results as JUnit XML to this file.", valueName: "FILE"))
    var junit: String?

    @Option(
        help: ArgumentHelp(
            "Also write the results as SARIF 2.1.0 to this file (for code-scanning upload): a rule per check, a result per WARN and FAIL.",
            valueName: "FILE"
        )
    )
    var sarif: String?

    /// `--expired-token…`, from the one source given.
    func expired(stdinTaken: Bool) throws(Failure) -> Secret? {
        if expiredToken.sources.stdin, stdinTaken {
            throw Failure.usage("--expired-token-stdin: stdin is already read for --token-stdin")
        }
        return try expiredToken.read()
    }
}
