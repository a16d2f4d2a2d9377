/// The redacted form of a secret in logs, the one the whole CLI uses (docs/reference/behaviour.md,
/// Conventions): a prefix short enough to reveal nothing and long enough to tell two
/// tokens apart, then the length.
enum Redaction {
    static func redact(_ secret: some StringProtocol) -> String {
        let prefixLength = secret.count >= 24 ? 6 : min(2, secret.count / 4)
        return "\(secret.prefix(prefixLength))…(redacted, \(secret.count) chars)"
    }
}
