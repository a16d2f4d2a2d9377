/// A token, password, session ID or cookie value.
///
/// Its `description` is the redacted form, so interpolating a `Secret` into any
/// output can never leak it; only code that puts it on the wire, or that honours
/// `--show-secrets`, calls `reveal()`.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// The raw value, for the wire and for `--show-secrets` only.
    public func reveal() -> String { value }

    public var isEmpty: Bool { value.isEmpty }
    public var count: Int { value.count }

    /// A short prefix, so that two tokens can be told apart, and the length:
    /// `eyJhbG…(redacted, 812 chars)`.
    public var redacted: String { Secret.redact(value) }

    public var description: String { redacted }
    public var debugDescription: String { "Secret(\(redacted))" }

    /// Secrets shorter than this show no prefix at all (a password, a PIN).
    public static let shortestWithPrefix = 16

    /// The prefix is at most an eighth of the secret and at most 6 characters: enough
    /// to tell two long tokens apart, never a useful part of a short secret.
    public static func redact(_ raw: String, prefix: Bool = true) -> String {
        let prefixLength = prefix && raw.count >= shortestWithPrefix ? min(6, raw.count / 8) : 0
        return "\(raw.prefix(prefixLength))…(redacted, \(raw.count) chars)"
    }
}
