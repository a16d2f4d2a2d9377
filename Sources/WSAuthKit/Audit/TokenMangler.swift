/// The compact serialization of a JWS (RFC 7515 §7.1) kept as its three base64url
/// segments, so that look-alikes can be forged from the real header and claims.
public struct CompactJWT: Sendable {
    public let header: String
    public let payload: String
    public let signature: String
    public let decoded: JWT

    /// nil for an opaque token: nothing to tamper with.
    public init?(_ token: String) {
        guard let decoded = JWT.decode(token) else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        header = String(parts[0])
        payload = String(parts[1])
        signature = String(parts[2])
        self.decoded = decoded
    }
}

/// Look-alikes of a real token that a careful server must refuse. The forged JWTs
/// carry the real claims, so they are as secret as the token: register them with
/// the redactor before they go anywhere near output.
public enum TokenMangler {
    /// Not a token in any format; the same every run, so it is no secret.
    public static let malformed = Secret("wsauth-audit.not-a-token")

    /// The real header and claims with a signature that cannot verify: the first
    /// signature character changed, which changes the first signature byte (the
    /// last character may carry only padding bits that lenient decoders ignore).
    public static func tamperedSignature(_ jwt: CompactJWT) -> Secret? {
        guard let first = jwt.signature.first else { return nil }
        let replacement: Character = first == "A" ? "B" : "A"
        let signature = String(replacement) + jwt.signature.dropFirst()
        return Secret("\(jwt.header).\(jwt.payload).\(signature)")
    }

    /// The unsecured JWS of RFC 7515 §A.5 / RFC 7519 §6: `alg` "none", the real
    /// claims, an empty signature. RFC 8725 §3.1: a server must never accept it.
    public static func algNone(_ jwt: CompactJWT) -> Secret {
        let header = Base64.encodeURLUnpadded(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
        return Secret("\(header).\(jwt.payload).")
    }
}
