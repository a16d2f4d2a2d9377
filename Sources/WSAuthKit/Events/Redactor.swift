/// Owns what output may show: every line for people, every `-v` line, JSON event,
/// message, error message, JUnit report and REPL line passes through here
/// (docs/redaction.md).
///
/// Two layers, because either alone leaks: values of headers that carry
/// credentials are redacted by name (a `-H "Authorization: Basic …"` we never
/// saw as a token), and every registered secret is replaced wherever it appears,
/// however it is encoded (`SecretMatcher`): a token in a query string, a
/// subprotocol the server echoes, an error description that quotes it.
///
/// Secrets are registered before any network call can answer with them: the
/// command registers what it reads (passwords, client secrets, `-H` values,
/// `-b` cookies, URL userinfo and credential query values) and the library
/// announces what it loads or receives with a `secrets` event (stored
/// credentials, a login's answer). Nothing a peer sends is ever registered: it
/// could make us blank any word it likes.
public final class Redactor: @unchecked Sendable {
    public let showSecrets: Bool
    /// Unchecked: it is read for every message shown, where the dynamic exclusivity check
    /// cost a quarter of the look at the message; the client runs on one thread, its single
    /// event loop (docs/ARCHITECTURE.md), and nothing calls back into the redactor.
    @exclusivity(unchecked) private var matcher = SecretMatcher()

    public init(showSecrets: Bool) {
        self.showSecrets = showSecrets
    }

    // MARK: Registering

    public func register(_ secret: Secret) {
        matcher.add(secret.reveal())
    }

    public func register(_ secrets: [Secret]) {
        for secret in secrets { register(secret) }
    }

    /// Every secret is matched in every form; kept for the call sites that say
    /// "this is a token".
    public func register(token: Secret) {
        register(token)
    }

    // MARK: Showing

    /// True when `string` holds a registered secret, whatever `showSecrets` says:
    /// for what must never be stored (the REPL's history file).
    public func containsSecret(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { !matcher.matches(in: $0).isEmpty }
    }

    /// Registered secrets replaced; for JSON strings, which the JSON writer escapes,
    /// and XML, which the JUnit writer escapes.
    public func text(_ string: String) -> String {
        guard !showSecrets, !matcher.isEmpty else { return string }
        var string = string
        return string.withUTF8 { matcher.redacted($0) }.map { String(decoding: $0, as: UTF8.self) } ?? string
    }

    /// A binary message's bytes with every registered secret replaced by the
    /// redaction text (docs/redaction.md "Binary messages"), before any rendering of
    /// them (raw, hex dump, base64), so that no rendering can show it.
    public func bytes(_ bytes: [UInt8]) -> [UInt8] {
        guard !showSecrets, !matcher.isEmpty else { return bytes }
        return bytes.withUnsafeBufferPointer { matcher.redacted($0) } ?? bytes
    }

    /// Registered secrets replaced and control characters made inert: the form of
    /// any text that reaches a terminal or stderr.
    public func shown(_ string: String) -> String {
        TerminalText.escape(text(string))
    }

    /// `shown(string)` appended to `out`: one pass over the bytes decides whether any
    /// needs escaping or can start a secret, and when none does (a firehose of plain
    /// messages) they are copied as they are, without building a String.
    public func appendShown(_ string: String, to out: inout [UInt8]) {
        withShown(string) { out.append(contentsOf: $0) }
    }

    /// Lends `body` the bytes of `shown(string)`: the string's own storage when the one
    /// pass finds nothing to escape or redact, so that a 64 MiB text message is written
    /// out without a copy (issue 23).
    public func withShown<Result>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var string = string
        let plain = string.withUTF8 { bytes in
            let scan =
                matcher.isEmpty || showSecrets
                ? OutputScan.scan(bytes, starts: nil)
                : matcher.starts.withUnsafeBufferPointer { OutputScan.scan(bytes, starts: $0) }
            return scan.isPlain ? body(bytes) : nil
        }
        if let plain { return plain }
        var shown = shown(string)
        return shown.withUTF8(body)
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

    /// A name that says it carries a credential: a header's, a query parameter's.
    public static let credentialWords = [
        "token", "auth", "key", "secret", "session", "password", "signature", "jwt", "cookie",
    ]

    /// Headers named with a credential word that carry none: the handshake's nonce and
    /// its answer (RFC 6455 §4.1, §4.2.2), which the Accept check shows, and the
    /// challenges, which say what a server wants (RFC 9110 §11.6.1, §11.7.1).
    public static let notCredentialHeaders: Set<String> = [
        "sec-websocket-key", "sec-websocket-accept", "www-authenticate", "proxy-authenticate",
    ]

    private static let credentialWordBytes = credentialWords.map { Array($0.utf8) }

    /// On ASCII-lowercased bytes: asked for every header of every handshake, where a
    /// generic substring search cost more than the rest of the header handling.
    public static func isCredentialName(_ name: String) -> Bool {
        let lower = name.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        for word in credentialWordBytes where lower.count >= word.count {
            for start in 0...(lower.count - word.count) where lower[start] == word[0] {
                if lower[start..<start + word.count].elementsEqual(word) { return true }
            }
        }
        return false
    }

    /// `Authorization`, `Cookie`, `Set-Cookie`, `X-Api-Key`, `apikey`, `Token`, `X-Auth`,
    /// `X-Amz-Signature`…: any name with a credential word but the few above.
    public static func isCredentialHeader(_ name: String) -> Bool {
        let lower = name.lowercased()
        return !notCredentialHeaders.contains(lower) && isCredentialName(lower)
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
