/// Cross-site WebSocket hijacking (RFC 6455 §10.2): handshakes with real credentials
/// from Origins a careful server refuses, after STEWS's variants.
extension AuditCheck {
    static let origins: [AuditCheck] = ForeignOrigin.allCases.map { variant in
        AuditCheck(variant.checkName, needs: [.credentials]) { context in
            switch variant.origin(for: context.url) {
            case .failure(let reason): return AuditFinding(.skip, reason.text)
            case .success(let origin): return judgeOrigin(origin, context)
            }
        }
    }

    /// The session cookie first (a browser attaches it by itself: the exploitable
    /// case), then the token, which alone can only show that Origin is not checked.
    private static func judgeOrigin(_ origin: String, _ context: AuditContext) -> AuditFinding {
        var finding: AuditFinding?
        if let cookie = context.sessionCookie {
            let outcome = context.probe.attempt(context.plan(.sessionCookie(cookie), origin: origin))
            let cookieFinding = AuditRules.origin(
                origin,
                credential: "the session cookie \(cookie.name)",
                ambient: true,
                outcome
            )
            if cookieFinding.verdict == .fail { return cookieFinding }
            finding = cookieFinding
        }
        if let token = context.presentedToken {
            let place = AuditCheck.place(
                context.presentation.placement,
                context.presentation,
                app: context.presentation.appPayload
            )
            let outcome = context.probe.attempt(context.plan(token, origin: origin))
            let tokenFinding = AuditRules.origin(
                origin,
                credential: "the token in \(place)",
                ambient: token.isAmbient,
                outcome
            )
            if finding == nil || tokenFinding.verdict != .pass { finding = tokenFinding }
        }
        return finding ?? AuditFinding(.skip, "no credentials to send")
    }
}

/// The Origins sent, each a way a sloppy check lets a foreign page through.
enum ForeignOrigin: CaseIterable {
    /// A plainly foreign site.
    case foreign
    /// Sandboxed iframes, `file:` pages and some redirects send `null` (RFC 6454 §7.3).
    case null
    /// Passes a check that the Origin starts with the host: `https://HOST.evil.example`.
    case suffix
    /// Passes a check that the Origin ends with the host: `https://evilHOST`.
    case prefix
    /// The same host over plain http, for a wss:// socket: a page a network attacker can write.
    case scheme

    struct NotApplicable: Error { let text: String }

    var checkName: CheckName {
        switch self {
        case .foreign: .originForeign
        case .null: .originNull
        case .suffix: .originSuffix
        case .prefix: .originPrefix
        case .scheme: .originScheme
        }
    }

    func origin(for url: WebSocketURL) -> Result<String, NotApplicable> {
        let scheme = url.secure ? "https" : "http"
        let authority = url.port.map { "\(url.host):\($0)" } ?? url.host
        switch self {
        case .foreign: return .success("https://evil.example")
        case .null: return .success("null")
        case .suffix: return .success("\(scheme)://\(url.host).evil.example")
        case .prefix: return .success("\(scheme)://evil\(authority)")
        case .scheme:
            guard url.secure else {
                return .failure(
                    NotApplicable(
                        text:
                            "the URL is ws://: a page of the same host over the other scheme is no weaker than the socket itself"
                    )
                )
            }
            return .success("http://\(authority)")
        }
    }
}
