import ArgumentParser

/// The flags of `wsauth serve`, declared once: the client parses them (for `--help`,
/// completions, the man page and usage errors) and hands the same words to
/// `wsauth-serve`, which parses them again and runs the server. Kept apart from the
/// server so that the client executable links no server framework (issue 13).
public struct ServeOptions: ParsableArguments {
    public static let discussion = """
        Endpoints: POST /auth/login (JSON {"username","password"} or form) → \
        access_token, refresh_token and a wsauth_session cookie; POST /auth/refresh \
        (JSON {"refresh_token"}; refresh tokens rotate, and reusing one revokes its \
        whole family); POST /oauth/token (RFC 6749: grant_type password, \
        client_credentials with HTTP Basic or form client credentials — every user \
        is also a client whose secret is its password — and refresh_token); \
        POST /auth/logout (by bearer token, refresh_token, the session cookie or \
        X-Session-Token) revokes the session and its refresh tokens.

        OAuth 2.0 for interactive logins (wsauth login --issuer URL): metadata at \
        /.well-known/openid-configuration and /.well-known/oauth-authorization-server; \
        GET/POST /authorize (a consent page; PKCE S256 required, redirect_uri only a \
        loopback http://127.0.0.1:PORT/…, any client_id); POST /device/code (at most \
        100 codes pending, then 429 temporarily_unavailable) and the /device page \
        (password first, then the client and scope to allow or deny; RFC 8628); \
        grant_type authorization_code and device_code at \
        /oauth/token (an ID token with scope openid); POST /oauth/revoke (RFC 7009).

        GET /ws echoes text and binary messages and answers {"op":"whoami"}. It \
        accepts Authorization: Bearer, Sec-WebSocket-Protocol \
        base64url.bearer.authorization.k8s.io.<token> (never selected; offer \
        echo.v1 alongside and that one is), the wsauth_session cookie, \
        X-Session-Token, and with --allow-query-token ?token=. On /ws?auth=message \
        the handshake needs no credential and the first text message must be \
        {"type":"auth","token":"…"} within 10 s (else close 4401 "auth timeout"; \
        a bad token closes with 4001). A missing, bad or expired credential gets \
        401 with WWW-Authenticate and a JSON body; a foreign Origin gets 403. \
        An open socket is closed with 4001 "token expired" when its token expires \
        and with 4003 "session revoked" when its session is logged out. Access \
        tokens are JWTs whose claims hold no session cookie or X-Session-Token \
        value. /socket.io/ (Engine.IO 4) takes the token in CONNECT's auth.token \
        and closes a socket with 4401 "connect timeout" that is not admitted by a \
        CONNECT within 10 s.

        The server is the executable wsauth-serve, found next to wsauth or on PATH. \
        DURATION is a number with a unit, ms, s, m or h (250ms, 10s, 5m, 1.5h); a \
        bare number means seconds.
        """

    @Option(help: "Interface to listen on.")
    public var host = "127.0.0.1"

    @Option(help: "TCP port; 0 picks a free one (printed).")
    public var port = 8765

    @Option(
        name: .customLong("token-ttl"),
        parsing: .unconditional,
        help: ArgumentHelp("Access-token lifetime.", valueName: "duration")
    )
    public var tokenTTL = "5m"

    @Option(
        name: .customLong("refresh-ttl"),
        parsing: .unconditional,
        help: ArgumentHelp("Refresh-token and session lifetime.", valueName: "duration")
    )
    public var refreshTTL = "24h"

    @Option(help: ArgumentHelp("Users instead of the demo ones.", valueName: "name:password[,name:password…]"))
    public var users: String?

    @Option(
        name: .customLong("users-env"),
        help: ArgumentHelp("Read the users (name:password[,…]) from this environment variable.", valueName: "var")
    )
    public var usersEnv: String?

    @Option(
        name: .customLong("users-file"),
        help: ArgumentHelp(
            "Read the users from this file: name:password, one a line or comma-separated.",
            valueName: "file"
        )
    )
    public var usersFile: String?

    @Option(help: ArgumentHelp("HMAC key for the access tokens (default: random per run).", valueName: "secret"))
    public var secret: String?

    @Option(
        name: .customLong("secret-env"),
        help: ArgumentHelp("Read the HMAC key from this environment variable.", valueName: "var")
    )
    public var secretEnv: String?

    @Option(
        name: .customLong("secret-file"),
        help: ArgumentHelp("Read the HMAC key from this file.", valueName: "file")
    )
    public var secretFile: String?

    @Option(
        name: .customLong("allowed-origin"),
        help: ArgumentHelp("An Origin allowed to open /ws besides the server's own (repeatable).", valueName: "origin")
    )
    public var allowedOrigins: [String] = []

    @Flag(
        help:
            "Insecure: accept expired access tokens at the handshake (the socket then closes at once with 4001 unless --no-expiry-close)."
    )
    public var acceptExpired = false

    @Flag(help: "Insecure: keep sockets open after their token expires (no close 4001).")
    public var noExpiryClose = false

    @Flag(help: "Insecure: accept ?token= on /ws (query strings end up in logs).")
    public var allowQueryToken = false

    @Flag(help: "Insecure: accept handshakes from any Origin (cross-site WebSocket hijacking).")
    public var ignoreOrigin = false

    public init() {}
}
