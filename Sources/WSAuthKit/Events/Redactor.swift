/// Decides what output may show: every string that leaves the process through a
/// renderer passes through here.
///
/// Two layers, because either alone leaks: values of headers that carry
/// credentials are redacted by name (a `-H "Authorization: Basic …"` we never
/// saw as a token), and every registered secret is replaced wherever it appears
/// (a token inside a query string, a subprotocol, an auth message, an echo).
public final class Redactor: @unchecked Sendable {
    public let showSecrets: Bool
    private var secrets: [String] = []

    public init(showSecrets: Bool) {
        self.showSecrets = showSecrets
    }

    /// Headers whose whole value is a credential.
    public static let sensitiveHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie",
        "x-session-token", "x-api-key", "x-auth-token",
    ]

    /// Registers a token with every form it takes on the wire.
    public func register(token: Secret) {
        for form in TokenPresentation.wireForms(of: token) { register(form) }
    }

    public func register(_ secret: Secret) {
        let raw = secret.reveal()
        // Very short values would redact innocent text everywhere.
        guard raw.count >= 4, !secrets.contains(raw) else { return }
        secrets.append(raw)
        // Longest first, so a token is not half-replaced by a secret it contains.
        secrets.sort { $0.count > $1.count }
    }

    /// True when `string` holds a registered secret, whatever `showSecrets` says:
    /// for what must never be stored (the REPL's history file).
    public func containsSecret(_ string: String) -> Bool {
        secrets.contains { string.contains($0) }
    }

    public func text(_ string: String) -> String {
        guard !showSecrets, !secrets.isEmpty else { return string }
        var result = string
        for raw in secrets where result.contains(raw) {
            result = result.replacing(raw, with: Secret.redact(raw))
        }
        return result
    }

    public func headerValue(name: String, value: String) -> String {
        guard !showSecrets else { return value }
        let lower = name.lowercased()
        if Redactor.sensitiveHeaders.contains(lower) {
            return Redactor.redactCredentialHeader(lower, value)
        }
        return text(value)
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
