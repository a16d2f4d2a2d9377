/// The JSON form of each event, field for field as docs/reference/events.md names them.
extension Event {
    /// nil for events that are not part of the stream (`note`, `secrets`). `time` is when
    /// the output writes it: events are written as they are made.
    public func json(redactor: Redactor, time: Timestamp) -> JSONValue? {
        var fields: [(String, JSONValue)] = [("event", .string(name)), ("time", .string(Timestamp.rfc3339(time)))]
        switch kind {
        case .handshake(let h):
            fields += [
                ("url", .string(h.url)),
                ("status", .int(h.status)),
                ("headers", Event.headerObject(h.responseHeaders, redactor)),
                ("request_headers", Event.headerObject(h.requestHeaders, redactor)),
                ("subprotocol", .optional(h.subprotocol)),
                ("extensions", .array(h.extensions.map(JSONValue.string))),
                (
                    "timings",
                    .object([
                        ("dns_ms", .optional(h.timings.dnsMs)),
                        ("connect_ms", .optional(h.timings.connectMs)),
                        ("tls_ms", .optional(h.timings.tlsMs)),
                        ("upgrade_ms", .optional(h.timings.upgradeMs)),
                    ])
                ),
                ("server_skew_ms", .optional(h.serverSkewMs)),
            ]
            if let placement = h.tokenPlacement { fields.append(("token_in", .string(placement.rawValue))) }
        case .rejected(let r):
            fields += [
                ("url", .string(r.url)),
                ("status", .int(r.status)),
                ("headers", Event.headerObject(r.headers, redactor)),
                ("body", .string(r.body)),
                ("www_authenticate", .optional(r.wwwAuthenticate)),
            ]
            if let app = r.app { fields += [("app", .string(app)), ("message", .optional(r.message))] }
        case .sent(let m), .message(let m):
            switch m.payload {
            case .text(let text):
                fields += [
                    ("type", .string("text")), ("data", m.carriesCredential ? .secret(Secret(text)) : .string(text)),
                ]
            case .binary(let bytes):
                fields += [("type", .string("binary")), ("data_base64", .string(Base64.encode(redactor.bytes(bytes))))]
            }
            fields.append(("size", .int(m.payload.size)))
        case .ping(let c), .pong(let c):
            fields += [
                ("direction", .string(c.direction.rawValue)),
                ("data", .string(String(decoding: c.data, as: UTF8.self))),
            ]
            if let rtt = c.rttMs { fields.append(("rtt_ms", .number((rtt * 10).rounded() / 10))) }
        case .close(let c):
            fields += [
                ("code", .int(Int(c.code))), ("reason", .string(c.reason)),
                ("initiator", .string(c.initiator.rawValue)),
                ("meaning", .string(c.meaning)), ("auth", .bool(c.auth)),
            ]
        case .refresh(let r):
            fields += [("ok", .bool(r.ok)), ("expires_at", Event.date(r.expiresAt)), ("rotated", .bool(r.rotated))]
            if let status = r.status { fields.append(("status", .int(status))) }
            if let skipped = r.skipped { fields.append(("skipped", .string(skipped))) }
        case .reconnect(let r):
            fields += [("attempt", .int(r.attempt)), ("delay_ms", .int(r.delayMs)), ("cause", .string(r.cause))]
        case .check(let c):
            fields += [
                ("name", .string(c.name)), ("verdict", .string(c.verdict.rawValue)), ("detail", .string(c.detail)),
            ]
        case .finding(let f):
            fields += [
                ("check", .string(f.check)), ("severity", .string(f.severity.rawValue)),
                ("detail", .string(f.detail)), ("fix", .optional(f.fix)),
            ]
        case .token(let t):
            fields += [
                ("opaque", .bool(t.opaque)), ("header", t.header ?? .null), ("claims", t.claims ?? .null),
                ("expires_at", Event.date(t.expiresAt)), ("expires_in_s", .optional(t.expiresInSeconds)),
            ]
        case .status(let s):
            fields += [
                ("profile", .string(s.profile)), ("logged_in", .bool(s.loggedIn)),
                ("access_expires_at", Event.date(s.accessExpiresAt)), ("refresh_token", .bool(s.refreshToken)),
                ("cookies", .array(s.cookies.map(JSONValue.string))),
            ]
        case .login(let l):
            fields += [
                ("ok", .bool(l.ok)), ("user", .optional(l.user)), ("expires_at", Event.date(l.expiresAt)),
                ("cookies", .array(l.cookies.map(JSONValue.string))),
                ("warnings", .array(l.warnings.map(JSONValue.string))),
            ]
        case .error(let e):
            fields += [
                ("kind", .string(e.failure.kind.rawValue)), ("message", .string(e.failure.message)),
                ("exit_code", .int(Int(e.failure.exitStatus.rawValue))),
            ]
        case .note, .appOpened, .secrets:
            return nil
        }
        return .object(fields)
    }

    public var name: String {
        switch kind {
        case .handshake: "handshake"
        case .rejected: "rejected"
        case .sent: "sent"
        case .message: "message"
        case .ping: "ping"
        case .pong: "pong"
        case .close: "close"
        case .refresh: "refresh"
        case .reconnect: "reconnect"
        case .check: "check"
        case .finding: "finding"
        case .token: "token"
        case .status: "status"
        case .login: "login"
        case .error: "error"
        case .note, .appOpened: "note"
        case .secrets: "secrets"
        }
    }

    /// Headers as an object; a repeated header's values are joined as HTTP allows
    /// (RFC 9110 §5.3), except Set-Cookie, which cannot be joined and becomes an array.
    static func headerObject(_ headers: [HTTPHeader], _ redactor: Redactor) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for header in headers {
            let shown = redactor.headerValue(name: header.name, value: header.value)
            let redactedValue = JSONValue.string(shown)
            if let index = members.firstIndex(where: { $0.0.lowercased() == header.name.lowercased() }) {
                switch members[index].1 {
                case .array(let values): members[index].1 = .array(values + [redactedValue])
                case .string(let previous) where header.name.lowercased() != "set-cookie":
                    members[index].1 = .string(previous + ", " + shown)
                default: members[index].1 = .array([members[index].1, redactedValue])
                }
            } else {
                members.append((header.name, redactedValue))
            }
        }
        return .object(members)
    }

    static func date(_ date: Timestamp?) -> JSONValue {
        date.map { .string(Timestamp.rfc3339($0)) } ?? .null
    }
}
