/// Credentials sent over ws:// to another machine can be read and replayed by
/// anyone on the path (RFC 6455 §10.6 asks for wss:// whenever credentials ride along).
extension AuditCheck {
    static let plainWS = AuditCheck(.plainWS) { context in
        AuditRules.plainTransport(context.url, sendsCredentials: context.token != nil || context.sessionCookie != nil)
    }
}
