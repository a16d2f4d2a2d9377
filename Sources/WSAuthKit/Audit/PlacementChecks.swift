/// Which token placements the server takes (docs/reference/behaviour.md `--token-in`): the valid token,
/// moved to each place in turn, with the names `--auth-header`, `--query-param`,
/// `--protocol-template`, `--cookie-name` and `--auth-message` give.
extension AuditCheck {
    static let placements: [AuditCheck] = [
        placement(.placementHeader, .header),
        placement(.placementQuery, .query),
        placement(.placementProtocol, .protocol),
        placement(.placementCookie, .cookie),
        placement(.placementMessage, .message),
    ]

    private static func placement(_ name: CheckName, _ placement: TokenPlacement) -> AuditCheck {
        AuditCheck(name, needs: [.token]) { context in
            guard let token = context.token else { return AuditFinding(.skip, context.missingToken) }
            var presentation = context.presentation
            presentation.placement = placement
            let outcome = context.probe.attempt(context.plan(.token(token, presentation)))
            let place = place(placement, presentation, app: context.presentation.appPayload)
            if context.presentation.placement == .message, placement != .message, outcome.isAccepted,
                !outcome.isAppVerdict
            {
                // An auth-message endpoint upgrades everyone and waits for the message
                // (with --app the app's own handshake did judge the credential).
                return AuditFinding(
                    .skip,
                    "the handshake with the token in \(place) \(outcome.evidence), but this URL takes its credential in the first message (--token-in message): an upgrade does not show that the token was accepted"
                )
            }
            return AuditRules.placement(placement, where: place, outcome)
        }
    }

    /// Where the token went, in the words of the evidence sentence.
    static func place(_ placement: TokenPlacement, _ presentation: TokenPresentation, app: Bool = false) -> String {
        switch placement {
        case .header: "the \(presentation.authHeader) header"
        case .query: "the query string (?\(presentation.queryParam)=)"
        case .protocol: "Sec-WebSocket-Protocol"
        case .cookie: "the cookie \(presentation.cookieName)"
        case .message: app ? "the app's auth payload" : "the first message"
        }
    }
}
