/// token: the access token's time claims against our clock and the server's
/// (RFC 7519 §4.1.4 `exp`, §4.1.5 `nbf`, §4.1.3 `aud`).
public struct TokenCheck {
    public var token: Secret?
    public var now: Timestamp
    /// The server's clock minus ours, from its `Date` header; nil without one.
    public var skewMs: Int?
    /// How long the upgrade took to answer: a token must outlive it.
    public var roundTripMs: Int?
    /// The audience the profile says the server is (`--audience`, profile `audience`).
    public var audience: String?
    /// Whether the handshake was refused: only then is a token problem blocking.
    public var refused: Bool

    /// Clocks further apart than this are worth a warning even while tokens still work.
    static let skewTolerance = 30.0

    public init(
        token: Secret?,
        now: Timestamp = Timestamp.now,
        skewMs: Int?,
        roundTripMs: Int?,
        audience: String?,
        refused: Bool
    ) {
        self.token = token
        self.now = now
        self.skewMs = skewMs
        self.roundTripMs = roundTripMs
        self.audience = audience
        self.refused = refused
    }

    public func findings() -> [DoctorFinding] {
        guard let token else { return [.ok(.token, "no token given: the handshake relies on cookies or nothing")] }
        guard let jwt = JWT.decode(token.reveal()) else {
            return [.ok(.token, "an opaque token (not a JWT): its lifetime cannot be read here")]
        }
        var found = [expiry(jwt), notBefore(jwt), skew(jwt), audienceFinding(jwt)].compactMap { $0 }
        if found.isEmpty {
            let left =
                jwt.expiresAt.map { ", expires in \(TimeSpan.format(seconds: $0.timeIntervalSince(now)))" }
                ?? ", no exp claim"
            found.append(.ok(.token, "the token is valid now\(left)"))
        }
        return found
    }

    private var skewSeconds: Double { Double(skewMs ?? 0) / 1000 }
    private var serverNow: Timestamp { now.addingTimeInterval(skewSeconds) }

    private func problem(_ detail: String, fix: String) -> DoctorFinding {
        refused ? .error(.token, detail, fix: fix, exit: .authRejected) : .warn(.token, detail, fix: fix)
    }

    func expiry(_ jwt: JWT) -> DoctorFinding? {
        guard let exp = jwt.expiresAt else { return nil }
        if exp <= now {
            return problem(
                "the token expired \(TimeSpan.format(seconds: now.timeIntervalSince(exp))) ago",
                fix: "run `wsauth refresh` (or `wsauth login`) for a fresh token"
            )
        }
        if exp <= serverNow {
            return problem(
                "the token expires in \(TimeSpan.format(seconds: exp.timeIntervalSince(now))) by our clock, but the server's clock is \(TimeSpan.format(seconds: skewSeconds)) ahead: for the server it expired \(TimeSpan.format(seconds: serverNow.timeIntervalSince(exp))) ago",
                fix:
                    "set the server's clock right (NTP); until then only a token that lives longer than \(TimeSpan.format(seconds: skewSeconds)) works"
            )
        }
        if let roundTripMs, exp.timeIntervalSince(serverNow) * 1000 < Double(roundTripMs) {
            return problem(
                "the token expires in \(TimeSpan.format(seconds: exp.timeIntervalSince(serverNow))), less than the \(roundTripMs) ms the handshake takes",
                fix: "refresh before connecting: `wsauth refresh --if-expiring-within 60s`"
            )
        }
        return nil
    }

    func notBefore(_ jwt: JWT) -> DoctorFinding? {
        guard let nbf = jwt.notBefore, nbf > serverNow else { return nil }
        let behind =
            skewSeconds < -Self.skewTolerance
            ? " (the server's clock is \(TimeSpan.format(seconds: -skewSeconds)) behind ours)" : ""
        return problem(
            "the token is not valid before \(Timestamp.rfc3339(nbf)), \(TimeSpan.format(seconds: nbf.timeIntervalSince(serverNow))) from now by the server's clock\(behind)",
            fix: skewSeconds < -Self.skewTolerance
                ? "set the server's clock right (NTP)"
                : "wait, or have the issuer stop dating nbf in the future (its clock is ahead)"
        )
    }

    /// A skew that has not broken the token yet still shortens or lengthens its life.
    func skew(_ jwt: JWT) -> DoctorFinding? {
        guard abs(skewSeconds) > Self.skewTolerance else { return nil }
        if let exp = jwt.expiresAt, exp <= serverNow { return nil }
        let direction = skewSeconds > 0 ? "ahead of" : "behind"
        return .warn(
            .token,
            "the server's clock is \(TimeSpan.format(seconds: abs(skewSeconds))) \(direction) ours (its Date header): tokens expire that much \(skewSeconds > 0 ? "sooner" : "later") for it",
            fix: "set the clocks right with NTP"
        )
    }

    func audienceFinding(_ jwt: JWT) -> DoctorFinding? {
        guard let audience else { return nil }
        let audiences: [String]
        switch jwt.claims["aud"] {
        case .string(let one)?: audiences = [one]
        case .array(let many)?: audiences = many.compactMap(\.stringValue)
        default: audiences = []
        }
        guard !audiences.contains(audience) else { return nil }
        let has = audiences.isEmpty ? "has no aud claim" : "is for \(audiences.joined(separator: ", "))"
        return problem(
            "the token \(has), not for \(audience)",
            fix: "log in for the audience \(audience) (the issuer's `audience`/`resource` parameter)"
        )
    }
}
