/// Owns what output may show: every line for people, every `-v` line, JSON event,
/// error message and REPL line passes through here (docs/reference/behaviour.md "Conventions").
///
/// Two layers, because either alone leaks: values of headers that carry
/// credentials are redacted by name (a `-H "Authorization: Basic …"` we never
/// saw as a token), and every registered secret is replaced wherever it appears,
/// in every form it travels in (`SecretForms`): a token in a query string, a
/// subprotocol the server echoes, an error description that quotes it.
///
/// Secrets are registered before any network call can answer with them: the
/// command registers what it reads (passwords, client secrets, `-H` values,
/// `-b` cookies, URL userinfo) and the library announces what it loads or
/// receives with a `secrets` event (stored credentials, a login's answer).
public final class Redactor: @unchecked Sendable {
    public let showSecrets: Bool
    private var patterns = SecretPatterns()

    public init(showSecrets: Bool) {
        self.showSecrets = showSecrets
    }

    // MARK: Registering

    public func register(_ secret: Secret) {
        patterns.add(secret.reveal())
    }

    public func register(_ secrets: [Secret]) {
        for secret in secrets { register(secret) }
    }

    /// Every form is registered for every secret; kept for the call sites that say
    /// "this is a token".
    public func register(token: Secret) {
        register(token)
    }

    // MARK: Showing

    /// True when `string` holds a registered secret, whatever `showSecrets` says:
    /// for what must never be stored (the REPL's history file).
    public func containsSecret(_ string: String) -> Bool {
        patterns.contains(in: string)
    }

    /// Registered secrets replaced; for JSON strings, which the JSON writer escapes.
    public func text(_ string: String) -> String {
        showSecrets ? string : patterns.redact(string)
    }

    /// Registered secrets replaced and control characters made inert: the form of
    /// any text that reaches a terminal or stderr.
    public func shown(_ string: String) -> String {
        TerminalText.escape(text(string))
    }

    public func headerValue(name: String, value: String) -> String {
        guard !showSecrets else { return value }
        let lower = name.lowercased()
        if Redactor.isCredentialHeader(lower) {
            return Redactor.redactCredentialHeader(lower, value)
        }
        return text(value)
    }

    // MARK: Headers

    /// Headers whose whole value is a credential.
    public static let sensitiveHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie",
        "x-session-token", "x-api-key", "x-auth-token",
    ]

    /// docs/reference/behaviour.md: `Authorization`, `Cookie`, `*-Token`, `*-Key`, `*Secret*`, `*Session*`;
    /// not `Sec-WebSocket-Key`, a nonce that the Accept check shows (RFC 6455 §4.1).
    public static func isCredentialHeader(_ name: String) -> Bool {
        let lower = name.lowercased()
        guard lower != "sec-websocket-key" else { return false }
        return sensitiveHeaders.contains(lower) || lower.hasSuffix("-token") || lower.hasSuffix("-key")
            || lower.contains("secret") || lower.contains("session")
    }

    /// Keeps the scheme of an Authorization header and the names of cookies,
    /// which are what a reader needs to debug, and hides the rest.
    private static func redactCredentialHeader(_ name: String, _ value: String) -> String {
        switch name {
        case "authorization", "proxy-authorization":
            if let space = value.firstIndex(of: " ") {
                let scheme = value[..<space]
                let credential = value[value.index(after: space)...].trimmingSpaces()
                return "\(scheme) \(Secret.redact(String(credential)))"
            }
            return Secret.redact(value)
        case "cookie":
            return value.split(separator: ";").map { pair -> String in
                let trimmed = pair.trimmingSpaces()
                guard let eq = trimmed.firstIndex(of: "=") else { return Secret.redact(String(trimmed)) }
                let cookieName = trimmed[..<eq]
                return "\(cookieName)=\(Secret.redact(String(trimmed[trimmed.index(after: eq)...])))"
            }.joined(separator: "; ")
        case "set-cookie":
            guard let eq = value.firstIndex(of: "=") else { return Secret.redact(value) }
            let semicolon = value[eq...].firstIndex(of: ";") ?? value.endIndex
            let cookieValue = String(value[value.index(after: eq)..<semicolon])
            return "\(value[..<eq])=\(Secret.redact(cookieValue))\(value[semicolon...])"
        default:
            return Secret.redact(value)
        }
    }
}

extension StringProtocol {
    /// Spaces and tabs trimmed from both ends (HTTP's OWS), without Foundation.
    public func trimmingSpaces() -> Substring {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice = slice.dropLast() }
        return Substring(slice)
    }
}
