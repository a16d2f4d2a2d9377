/// Unguessable identifiers: session IDs, refresh tokens, JWT IDs.
enum RandomToken {
    /// 256 bits from the system CSPRNG (getrandom(2) on Linux), base64url: RFC 6749 §10.10
    /// asks that a guess succeed with probability at most 2^-128; RFC 6819 §5.1.4.2.2.
    static func make(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
