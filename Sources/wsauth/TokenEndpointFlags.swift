import ArgumentParser
import WSAuthKit

/// What `login` and `refresh` share: the OAuth 2.0 client, where the tokens are
/// in the endpoint's answer, and how refresh requests are made (`login` records
/// the last two for later refreshes). Read from the profile alone for audit's throwaway login.
struct TokenEndpointFlags: ProfileReader {
    static let tableName = "token-endpoint"

    @Option(name: .customLong("client-id"), help: "OAuth 2.0 client id.")
    var clientID: String?
    @OptionGroup var clientSecret: SecretSourceFlags<ClientSecret>

    @Option(
        name: .customLong("token-path"),
        help: ArgumentHelp("Dotted JSON path of the access token.", valueName: "PATH")
    )
    var tokenPath: String?
    @Option(
        name: .customLong("refresh-token-path"),
        help: ArgumentHelp("Dotted JSON path of the refresh token.", valueName: "PATH")
    )
    var refreshTokenPath: String?
    @Option(
        name: .customLong("expires-in-path"),
        help: ArgumentHelp("Dotted JSON path of expires_in.", valueName: "PATH")
    )
    var expiresInPath: String?

    @Option(
        help: ArgumentHelp(
            "Refresh request body: json ({\"refresh_token\":…}) or oauth2 (RFC 6749 §6 form).",
            valueName: "STYLE"
        )
    )
    var style: RefreshStyle?
    @Option(
        help: ArgumentHelp("JSON field name of the refresh token in refresh requests (json style).", valueName: "NAME")
    )
    var field: String?

    var tokenPaths: TokenPaths {
        TokenPaths(access: tokenPath, refresh: refreshTokenPath, expiresIn: expiresInPath)
    }
}
