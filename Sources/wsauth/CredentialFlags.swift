import ArgumentParser
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// How `connect`, `probe` and `audit` get a token and present it (docs/reference/behaviour.md `wsauth connect`).
struct CredentialFlags: ParsableArguments {
    @OptionGroup var token: SecretValueFlags<TokenSecret>

    @Option(
        name: .customLong("token-in"),
        help: ArgumentHelp(
            "Where the token goes: header (default), query, protocol, cookie or message.",
            valueName: "PLACE"
        )
    )
    var tokenIn: TokenPlacement?

    @Option(
        name: .customLong("auth-header"),
        help: ArgumentHelp("Header for --token-in header (default Authorization).", valueName: "NAME")
    )
    var authHeader: String?

    @Option(
        name: .customLong("auth-scheme"),
        help: ArgumentHelp(
            "Scheme before the token in the header (default Bearer; \"\" for none).",
            valueName: "SCHEME"
        )
    )
    var authScheme: String?

    @Option(
        name: .customLong("query-param"),
        help: ArgumentHelp("Query parameter for --token-in query (default token).", valueName: "NAME")
    )
    var queryParam: String?

    @Option(
        name: .customLong("protocol-template"),
        help: ArgumentHelp(
            "Subprotocol for --token-in protocol; {token64} is the unpadded base64url token, {token} the raw one (default: the Kubernetes form base64url.bearer.authorization.k8s.io.{token64}).",
            valueName: "TEMPLATE"
        )
    )
    var protocolTemplate: String?

    @Option(
        name: .customLong("cookie-name"),
        help: ArgumentHelp("Cookie for --token-in cookie (default token).", valueName: "NAME")
    )
    var cookieName: String?

    @Option(
        name: .customLong("auth-message"),
        help: ArgumentHelp(
            "First message for --token-in message, or with --app the auth payload; {token} is replaced, again on every reconnect (default {\"type\":\"auth\",\"token\":\"{token}\"}; \(AppChoice.authMessageDefaults)).",
            valueName: "TEMPLATE"
        )
    )
    var authMessage: String?

    @Option(
        help: ArgumentHelp(
            "With --app stomp: log in with login/passcode as this user instead of the bearer token (password from --password-env/-file/-stdin); with --app mqtt: the CONNECT user name (with a password: instead of the token).",
            valueName: "NAME"
        )
    )
    var user: String?

    @OptionGroup var password: SecretSourceFlags<PasswordSecret>

    @Option(help: ArgumentHelp("Origin header to send.", valueName: "URL"))
    var origin: String?

    @Option(help: ArgumentHelp("Subprotocol to offer (repeatable).", valueName: "NAME"))
    var subprotocol: [String] = []

    @Flag(help: "Offer permessage-deflate compression (RFC 7692).")
    var compress = false

    /// The token from the first source given (docs/reference/behaviour.md's order), or nil when none is.
    func explicitToken() throws(Failure) -> Secret? {
        if let secret = try token.read() {
            // A token holds no spaces (RFC 6750 b64token): ones around it are from copying.
            let trimmed = String(secret.reveal().trimmingSpaces())
            guard !trimmed.isEmpty else { throw Failure.usage("--token: the token is empty") }
            return Secret(trimmed)
        }
        if let value = getenv("WSAUTH_TOKEN"), value.pointee != 0 {
            return Secret(String(cString: value))
        }
        return nil
    }

    @Option(
        name: .customLong("session-header"),
        help: ArgumentHelp(
            "Send the session ID (from -b, or a stored cookie that matches the URL) in this header, e.g. X-Session-Token, instead of cookies.",
            valueName: "NAME"
        )
    )
    var sessionHeader: String?

    @Option(
        name: .customLong("session-cookie"),
        help: ArgumentHelp(
            "The stored cookie that holds the session ID (default: the one set at login, else a well-known name).",
            valueName: "NAME"
        )
    )
    var sessionCookie: String?

    @Option(
        name: .customLong("refresh-before"),
        help: ArgumentHelp(
            "Refresh the stored token first when it expires within this margin (default 30s).",
            valueName: "DURATION"
        ),
        transform: TimeSpan.read
    )
    var refreshBefore: TimeSpan?

    /// Token presentation: the flags (a profile's keys among them), else the defaults.
    var presentation: TokenPresentation {
        var presentation = TokenPresentation()
        if let tokenIn { presentation.placement = tokenIn }
        if let authHeader { presentation.authHeader = authHeader }
        if let authScheme { presentation.authScheme = authScheme }
        if let queryParam { presentation.queryParam = queryParam }
        if let protocolTemplate { presentation.protocolTemplate = protocolTemplate }
        if let cookieName { presentation.cookieName = cookieName }
        if let authMessage { presentation.authMessageTemplate = authMessage }
        return presentation
    }
}
