import Crypto

/// The server's half of PKCE (RFC 7636): only S256 is offered, because `plain`
/// protects nothing against an attacker who can read the authorization request.
enum PKCEChallenge {
    static let method = "S256"

    /// §4.1/§4.2: 43–128 characters of the unreserved set; an S256 challenge is
    /// always 43 (a base64url SHA-256).
    static func isWellFormed(_ value: String) -> Bool {
        (43...128).contains(value.count) && value.unicodeScalars.allSatisfy(isUnreserved)
    }

    /// §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge. The comparison
    /// is of digests, so that its time says nothing about how much of it matched.
    static func verifies(verifier: String, challenge: String) -> Bool {
        guard isWellFormed(verifier) else { return false }
        let computed = Base64URL.encode(SHA256.hash(data: Array(verifier.utf8)))
        return SHA256.hash(data: Array(computed.utf8)) == SHA256.hash(data: Array(challenge.utf8))
    }

    private static func isUnreserved(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "-", ".", "_", "~": true
        default: false
        }
    }
}
