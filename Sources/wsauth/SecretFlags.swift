import ArgumentParser
import WSAuthKit

/// The name of one secret flag: `--token` gives `--token-env`, `--token-file`, `--token-stdin`.
protocol SecretFlagName: SendableMetatype {
    /// The long flag without dashes, e.g. `token`.
    static var long: String { get }
    /// What the secret is, for help: `the token`.
    static var what: String { get }
}

/// The `-env VAR`, `-file FILE` and `-stdin` variants of one secret flag (docs/reference/behaviour.md
/// "Conventions"), gh-style; files and stdin give their first line (docs/choices.md).
struct SecretSourceFlags<Name: SecretFlagName>: ParsableArguments {
    @Option(
        name: .customLong(Name.long + "-env"),
        help: ArgumentHelp("Read \(Name.what) from this environment variable.", valueName: "VAR")
    )
    var environment: String?

    @Option(
        name: .customLong(Name.long + "-file"),
        help: ArgumentHelp("Read \(Name.what) from the first line of this file.", valueName: "FILE")
    )
    var file: String?

    @Flag(
        name: .customLong(Name.long + "-stdin"),
        help: ArgumentHelp("Read \(Name.what) from the first line of stdin.")
    )
    var stdin = false

    var isGiven: Bool { environment != nil || file != nil || stdin }

    /// The one source given (a profile's `<key>_env`/`<key>_file` arrive as these flags).
    func source() throws(Failure) -> SecretSource? {
        try SecretSource.choose(flag: "--" + Name.long, environment: environment, file: file, stdin: stdin)
    }

    /// The secret from the source given, if any; errors name the flag.
    func read() throws(Failure) -> Secret? {
        guard let source = try source() else { return nil }
        return try source.read(flag: "--" + Name.long)
    }
}

/// A secret flag that may also be given as a value (`--token TOKEN`), for tokens a user
/// copies from a browser; the value form is visible to `ps`, so help points to the others.
struct SecretValueFlags<Name: SecretFlagName>: ParsableArguments {
    @Option(
        name: .customLong(Name.long),
        help: ArgumentHelp(
            "\(Name.what.capitalizedFirst) (prefer --\(Name.long)-env/-file/-stdin: the command line is visible to other users).",
            valueName: "TOKEN"
        )
    )
    var value: String?

    @OptionGroup var sources: SecretSourceFlags<Name>

    var isGiven: Bool { value != nil || sources.isGiven }

    /// The secret from the one form given, or nil when none is.
    func read() throws(Failure) -> Secret? {
        if let value {
            guard !sources.isGiven else {
                throw Failure.usage(
                    "give only one of --\(Name.long), --\(Name.long)-env, --\(Name.long)-file and --\(Name.long)-stdin"
                )
            }
            guard !value.isEmpty else { throw Failure.usage("--\(Name.long): the secret is empty") }
            return Secret(value)
        }
        return try sources.read()
    }
}

enum TokenSecret: SecretFlagName {
    static let long = "token"
    static let what = "the token"
}

enum ExpiredTokenSecret: SecretFlagName {
    static let long = "expired-token"
    static let what = "the expired token"
}

enum PasswordSecret: SecretFlagName {
    static let long = "password"
    static let what = "the password"
}

enum ClientSecret: SecretFlagName {
    static let long = "client-secret"
    static let what = "the OAuth 2.0 client secret"
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
