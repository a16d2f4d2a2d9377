/// Credentials a server must refuse at (or right after) the handshake, presented
/// the way `--token-in` presents the real token.
extension AuditCheck {
    static let noCredentials = AuditCheck(.noCredentials) { context in
        var plan = context.plan(nil)
        var what = "no credentials"
        if context.presentation.placement == .message, !context.presentation.appPayload {
            // An auth-message endpoint upgrades everyone and judges the first
            // message: the "nothing" to send it is an auth message without a token.
            plan.authMessage = TokenPresentation.fill(context.presentation.authMessageTemplate, token: Secret(""))
            what += " (and an auth message with an empty token)"
        }
        return AuditRules.mustRefuse(context.probe.attempt(plan), what)
    }

    static let malformedToken = AuditCheck(.malformedToken) { context in
        let plan = context.plan(context.presenting(TokenMangler.malformed))
        return AuditRules.mustRefuse(context.probe.attempt(plan), "a malformed token")
    }

    static let tamperedSignature = AuditCheck(.tamperedSignature, needs: [.token, .jwt]) { context in
        guard let jwt = context.jwt, let forged = TokenMangler.tamperedSignature(jwt) else {
            return AuditFinding(.skip, "the token has no signature to tamper with")
        }
        let plan = context.plan(context.presenting(forged))
        return AuditRules.mustRefuse(context.probe.attempt(plan), "the token's claims under a tampered signature")
    }

    static let algNone = AuditCheck(.algNone, needs: [.token, .jwt]) { context in
        guard let jwt = context.jwt else { return AuditFinding(.skip, "the token is not a JWT") }
        let plan = context.plan(context.presenting(TokenMangler.algNone(jwt)))
        return AuditRules.mustRefuse(
            context.probe.attempt(plan),
            #"the token's claims under {"alg":"none"} and no signature"#
        )
    }

    /// `--expired-token…`, or the real token once its `exp` has passed (after
    /// `--watch-expiry`, which runs first for this reason).
    static let expiredToken = AuditCheck(.expiredToken) { context in
        let expired: Secret
        let what: String
        if let given = context.expiredToken {
            expired = given
            what = "the expired token"
        } else if let token = context.token, let expiry = context.tokenExpiry, expiry <= Timestamp.now {
            expired = token
            what = "the token (expired \(TimeSpan.format(seconds: Timestamp.now.timeIntervalSince(expiry))) ago)"
        } else {
            return AuditFinding(
                .skip,
                "no expired token: give one with --expired-token… or use --watch-expiry, after which the token is tried again"
            )
        }
        let plan = context.plan(context.presenting(expired))
        return AuditRules.mustRefuse(context.probe.attempt(plan), what)
    }
}
