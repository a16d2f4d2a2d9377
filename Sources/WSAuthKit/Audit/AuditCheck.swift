/// The checks of `wsauth audit`, by the names `--only`, `--skip`, `--json` and JUnit use.
public enum CheckName: String, CaseIterable, Sendable {
    case plainWS = "plain-ws"
    case loginCookies = "login-cookies"
    case noCredentials = "no-credentials"
    case malformedToken = "malformed-token"
    case tamperedSignature = "tampered-signature"
    case algNone = "alg-none"
    case placementHeader = "placement-header"
    case placementQuery = "placement-query"
    case placementProtocol = "placement-protocol"
    case placementCookie = "placement-cookie"
    case placementMessage = "placement-message"
    case originForeign = "origin-foreign"
    case originNull = "origin-null"
    case originSuffix = "origin-suffix"
    case originPrefix = "origin-prefix"
    case originScheme = "origin-scheme"
    case watchExpiry = "watch-expiry"
    case expiredToken = "expired-token"
    case afterLogout = "after-logout"
}

/// What a check needs before it can say anything; without it the check is skipped
/// with the reason (docs/reference/behaviour.md "Audit verdicts").
public enum AuditNeed: Sendable {
    /// A token the server accepts.
    case token
    /// That token is a JWT (something to forge look-alikes of).
    case jwt
    /// A token or a session cookie the server accepts.
    case credentials
    case logoutURL
    /// `--watch-expiry` was given and the token says when it expires.
    case watchRequested
    /// A throwaway login was made (the profile has login settings).
    case throwawayLogin

    /// Why the check cannot run, or nil when the need is met.
    func missing(in context: AuditContext) -> String? {
        switch self {
        case .token:
            context.token == nil ? context.missingToken : nil
        case .jwt:
            context.jwt == nil ? "the token is not a JWT (opaque): there is no signature to forge" : nil
        case .credentials:
            context.token == nil && context.sessionCookie == nil
                ? "no credentials given (--token…, --session-cookie…)" : nil
        case .logoutURL:
            context.logoutURL == nil ? "no logout URL given (--logout-url)" : nil
        case .watchRequested:
            context.watchExpiry ? nil : "not asked for: --watch-expiry stays connected until the token's exp + --grace"
        case .throwawayLogin:
            context.throwaway == nil ? context.noThrowaway : nil
        }
    }
}

/// A verdict and its one sentence of evidence, before it is named.
public struct AuditFinding: Sendable, Equatable {
    public var verdict: CheckReport.Verdict
    public var detail: String

    public init(_ verdict: CheckReport.Verdict, _ detail: String) {
        self.verdict = verdict
        self.detail = detail
    }
}

/// One check: a name, what it needs, and how it judges the server.
public struct AuditCheck: Sendable {
    public let name: CheckName
    public let needs: [AuditNeed]
    let judge: @Sendable (AuditContext) -> AuditFinding

    public init(_ name: CheckName, needs: [AuditNeed] = [], judge: @escaping @Sendable (AuditContext) -> AuditFinding) {
        self.name = name
        self.needs = needs
        self.judge = judge
    }

    public func run(_ context: AuditContext) -> CheckReport {
        let finding =
            needs.lazy.compactMap { $0.missing(in: context) }.first.map { AuditFinding(.skip, $0) } ?? judge(context)
        return CheckReport(name: name.rawValue, verdict: finding.verdict, detail: finding.detail)
    }
}
