import ArgumentParser
import WSAuthKit
#if canImport(Glibc)
import Glibc
#endif

extension TokenPlacement: ExpressibleByArgument {}
extension AppProtocolName: ExpressibleByArgument {}

/// How `connect`, `probe` and `audit` get a token and present it (cli.md `wsauth connect`).
struct CredentialFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Access token (prefer --token-env/--token-file/--token-stdin: the command line is visible to other users).", valueName: "TOKEN"))
    var token: String?

    @Option(name: .customLong("token-env"), help: ArgumentHelp("Read the token from this environment variable.", valueName: "VAR"))
    var tokenEnv: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("Read the token from this file (first line).", valueName: "FILE"))
    var tokenFile: String?

    @Flag(name: .customLong("token-stdin"), help: "Read the token from the first line of stdin.")
    var tokenStdin = false

    @Option(name: .customLong("token-in"), help: ArgumentHelp("Where the token goes: header (default), query, protocol, cookie or message.", valueName: "PLACE"))
    var tokenIn: TokenPlacement?

    @Option(name: .customLong("auth-header"), help: ArgumentHelp("Header for --token-in header (default Authorization).", valueName: "NAME"))
    var authHeader: String?

    @Option(name: .customLong("auth-scheme"), help: ArgumentHelp("Scheme before the token in the header (default Bearer; \"\" for none).", valueName: "SCHEME"))
    var authScheme: String?

    @Option(name: .customLong("query-param"), help: ArgumentHelp("Query parameter for --token-in query (default token).", valueName: "NAME"))
    var queryParam: String?

    @Option(name: .customLong("protocol-template"), help: ArgumentHelp("Subprotocol for --token-in protocol; {token64} is the unpadded base64url token, {token} the raw one (default: the Kubernetes form base64url.bearer.authorization.k8s.io.{token64}).", valueName: "TEMPLATE"))
    var protocolTemplate: String?

    @Option(name: .customLong("cookie-name"), help: ArgumentHelp("Cookie for --token-in cookie (default token).", valueName: "NAME"))
    var cookieName: String?

    @Option(name: .customLong("auth-message"), help: ArgumentHelp("First message for --token-in message, or with --app the auth payload; {token} is replaced, again on every reconnect (default {\"type\":\"auth\",\"token\":\"{token}\"}; for socketio {\"token\":\"{token}\"}).", valueName: "TEMPLATE"))
    var authMessage: String?

    @Option(help: ArgumentHelp("Application protocol inside the socket: socketio (Socket.IO v4: the token goes in its CONNECT auth payload unless --token-in header or cookie).", valueName: "NAME"))
    var app: AppProtocolName?

    @Option(help: ArgumentHelp("With --app socketio: the namespace to connect to (default /).", valueName: "NS"))
    var namespace: String?

    @Option(help: ArgumentHelp("Origin header to send.", valueName: "URL"))
    var origin: String?

    @Option(help: ArgumentHelp("Subprotocol to offer (repeatable).", valueName: "NAME"))
    var subprotocol: [String] = []

    @Flag(help: "Offer permessage-deflate compression (RFC 7692).")
    var compress = false

    /// The token from the first source given (cli.md's order), or nil when none is.
    func explicitToken() throws(Failure) -> Secret? {
        let sources = [token != nil, tokenEnv != nil, tokenFile != nil, tokenStdin].filter { $0 }.count
        guard sources <= 1 else {
            throw Failure.usage("give one of --token, --token-env, --token-file, --token-stdin")
        }
        if let token { return try nonEmpty(token, "--token") }
        if let tokenEnv {
            guard let value = getenv(tokenEnv) else {
                throw Failure.usage("--token-env \(tokenEnv): the environment variable is not set")
            }
            return try nonEmpty(String(cString: value), "--token-env \(tokenEnv)")
        }
        if let tokenFile {
            guard let token = try Self.readTokenFile(tokenFile) else {
                throw Failure.usage("--token-file \(tokenFile): cannot read the file, or it holds no token")
            }
            return token
        }
        if tokenStdin {
            return try nonEmpty(FileText.readLineFromStdin() ?? "", "--token-stdin")
        }
        if let value = getenv("WSAUTH_TOKEN"), value.pointee != 0 {
            return Secret(String(cString: value))
        }
        return nil
    }

    /// A token file's first line, trimmed; nil when the file is missing or that line is empty.
    static func readTokenFile(_ path: String) throws(Failure) -> Secret? {
        guard let contents = try FileIO.readText(path) else { return nil }
        let line = contents.prefix { $0 != "\n" && $0 != "\r" }.trimmingSpaces()
        return line.isEmpty ? nil : Secret(String(line))
    }

    private func nonEmpty(_ value: String, _ source: String) throws(Failure) -> Secret {
        let trimmed = String(value.trimmingSpaces())
        guard !trimmed.isEmpty else { throw Failure.usage("\(source): the token is empty") }
        return Secret(trimmed)
    }

    @Option(name: .customLong("session-header"), help: ArgumentHelp("Send the session ID (from -b, or a stored cookie that matches the URL) in this header, e.g. X-Session-Token, instead of cookies.", valueName: "NAME"))
    var sessionHeader: String?

    @Option(name: .customLong("session-cookie"), help: ArgumentHelp("The stored cookie that holds the session ID (default: the one set at login, else a well-known name).", valueName: "NAME"))
    var sessionCookie: String?

    @Option(name: .customLong("refresh-before"), help: ArgumentHelp("Refresh the stored token first when it expires within this margin (default 30s).", valueName: "DURATION"))
    var refreshBefore: String?

    /// Token presentation: flags, else the profile's keys (cli.md "Profiles"), else defaults.
    func presentation(_ profile: Profile) throws(Failure) -> TokenPresentation {
        var presentation = TokenPresentation()
        if let placement = try profile.string("token_in", flag: tokenIn?.rawValue) {
            guard let parsed = TokenPlacement(rawValue: placement) else {
                throw Failure.usage("\(profile.file ?? "config.toml"): token_in must be one of header, query, protocol, cookie, message")
            }
            presentation.placement = parsed
        }
        if let value = try profile.string("auth_header", flag: authHeader) { presentation.authHeader = value }
        if let value = try profile.string("auth_scheme", flag: authScheme) { presentation.authScheme = value }
        if let value = try profile.string("query_param", flag: queryParam) { presentation.queryParam = value }
        if let value = try profile.string("protocol_template", flag: protocolTemplate) { presentation.protocolTemplate = value }
        if let value = try profile.string("cookie_name", flag: cookieName) { presentation.cookieName = value }
        if let value = try profile.string("auth_message", flag: authMessage) { presentation.authMessageTemplate = value }
        return presentation
    }
}

/// Reads from stdin that must leave the rest of it alone.
enum FileText {
    /// One line from stdin, read a byte at a time so that the rest stays for pipe mode.
    static func readLineFromStdin() -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(STDIN_FILENO, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
    }
}
