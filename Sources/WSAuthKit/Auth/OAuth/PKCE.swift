/// Proof Key for Code Exchange (RFC 7636): the verifier stays here, its S256
/// challenge goes in the authorization URL, and the token endpoint checks that
/// whoever redeems the code knows the verifier.
public struct PKCE: Sendable {
    /// RFC 7636 §4.1: 43 to 128 characters of [A-Za-z0-9-._~].
    public let verifier: Secret
    /// §4.2: BASE64URL(SHA256(ASCII(code_verifier))), unpadded.
    public let challenge: String
    public static let method = "S256"

    public init(verifier: Secret) {
        self.verifier = verifier
        challenge = Base64.encodeURLUnpadded(SHA256Digest.hash(Array(verifier.reveal().utf8)))
    }

    /// §7.1: 32 random octets, base64url: 43 characters, 256 bits of entropy.
    public static func generate() -> PKCE {
        PKCE(verifier: Secret(RandomText.base64URL(bytes: 32)))
    }
}

/// Unguessable values: the PKCE verifier and the `state` of a redirect.
enum RandomText {
    static func base64URL(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64.encodeURLUnpadded((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
