/// A JSON Web Token taken apart for reading (RFC 7519), signature unchecked:
/// wsauth inspects tokens, it does not trust them.
public struct JWT: Sendable {
    public var header: JSONValue
    public var claims: JSONValue

    /// nil for anything that is not a JWS compact serialization (RFC 7515 §7.1)
    /// with a JSON header and a JSON object as claims: such a token is opaque.
    public static func decode(_ token: String) -> JWT? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerBytes = Base64.decode(String(parts[0])),
            let claimBytes = Base64.decode(String(parts[1])),
            let header = try? JSONValue.parse(headerBytes),
            let claims = try? JSONValue.parse(claimBytes),
            header.objectMembers != nil, claims.objectMembers != nil
        else { return nil }
        return JWT(header: header, claims: claims)
    }

    /// NumericDate claims (RFC 7519 §2, §4.1.4–4.1.6).
    public var expiresAt: Timestamp? { date("exp") }
    public var issuedAt: Timestamp? { date("iat") }
    public var notBefore: Timestamp? { date("nbf") }

    /// Nil when the claim is absent, not a number, or outside the years 1–9999 that an
    /// RFC 3339 timestamp can show: such a value is no date anyone meant, and turning it
    /// into whole seconds for "expires in" trapped (seen while writing Fuzz/FuzzJWT).
    public func date(_ claim: String) -> Timestamp? {
        guard case .number(let seconds)? = claims[claim], Self.showableSeconds.contains(seconds) else { return nil }
        return Timestamp(timeIntervalSince1970: seconds)
    }

    /// 0001-01-01T00:00:00Z through 9999-12-31T23:59:59Z, in seconds since the epoch.
    static let showableSeconds: ClosedRange<Double> = -62_135_596_800...253_402_300_799

    /// Who the token is for, in the words a person would recognise first.
    public var user: String? {
        for claim in ["preferred_username", "username", "email", "name", "sub"] {
            if let value = claims[claim]?.stringValue, !value.isEmpty { return value }
        }
        return nil
    }

    /// `alg`, `sub`, `iss`, `aud`, `scope` in one line, for login and status output.
    public var summary: String {
        var parts: [String] = []
        if let alg = header["alg"]?.stringValue { parts.append("alg=\(alg)") }
        for claim in ["sub", "iss", "aud", "scope"] {
            switch claims[claim] {
            case .string(let s)?: parts.append("\(claim)=\(s)")
            case .array(let items)?: parts.append("\(claim)=\(items.compactMap(\.stringValue).joined(separator: ","))")
            default: break
            }
        }
        return parts.joined(separator: " ")
    }
}

extension TokenReport {
    /// What `token --decode` shows of a token: header and claims of a JWT, or that it is opaque.
    public static func describe(_ token: Secret, now: Timestamp = Timestamp.now) -> TokenReport {
        guard let jwt = JWT.decode(token.reveal()) else {
            return TokenReport(opaque: true, header: nil, claims: nil, expiresAt: nil, expiresInSeconds: nil)
        }
        let expiresAt = jwt.expiresAt
        return TokenReport(
            opaque: false,
            header: jwt.header,
            claims: jwt.claims,
            expiresAt: expiresAt,
            expiresInSeconds: expiresAt.map { Int($0.timeIntervalSince(now).rounded(.down)) }
        )
    }
}
