/// The compact serialization of a JWS (RFC 7515 §7.1): three base64url segments.
/// Only what the audit needs to forge look-alikes of a real token, and its `exp`.
public struct CompactJWT: Sendable, Equatable {
    public let header: String
    public let payload: String
    public let signature: String

    /// nil when the token is not three segments whose first two decode to JSON objects
    /// (an opaque token: nothing to tamper with).
    public init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              case .object? = CompactJWT.decodeJSON(parts[0]),
              case .object? = CompactJWT.decodeJSON(parts[1])
        else { return nil }
        header = String(parts[0]); payload = String(parts[1]); signature = String(parts[2])
    }

    public var claims: JSONValue? { CompactJWT.decodeJSON(payload[...]) }

    /// The `exp` claim (RFC 7519 §4.1.4), seconds since the epoch.
    public var expiry: Double? { claims?["exp"]?.numberValue }

    public var serialized: String { "\(header).\(payload).\(signature)" }

    static func decodeJSON(_ segment: Substring) -> JSONValue? {
        guard let bytes = Base64.decode(String(segment)) else { return nil }
        return try? JSONValue.parse(bytes)
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
