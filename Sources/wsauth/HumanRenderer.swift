import WSAuthKit

/// Events in words for people. nil means "nothing to say at this verbosity".
///
/// It composes lines and leaves redaction of registered secrets and the escaping
/// of what a server sent to the one writer (`Output.render`); it only redacts
/// what the writer cannot know: credential headers by name.
struct HumanRenderer {
    let redactor: Redactor
    let verbose: Bool
    /// `probe`: the handshake in full, with the checks and timings after it.
    var probeReport = false

    func render(_ event: Event) -> [Line]? {
        switch event.kind {
        case .handshake(let h):
            if probeReport { return handshakeLines(h) + [Line("")] + probeSummary(h) }
            return verbose ? handshakeLines(h) : nil
        case .rejected(let r):
            if let app = r.app {
                return [Line("\(app) refused the credentials: \(r.message ?? "")", .red)]
            }
            var lines = ["< \(r.statusLine)"]
            lines += r.headers.map { "< \($0.name): \(redactor.headerValue(name: $0.name, value: $0.value))" }
            // Redacted before it is cut: a cut through a secret would leave a part of it unmatched.
            if !r.body.isEmpty { lines.append("body: \(redactor.text(String(r.body.trimmingSpaces())).prefix(2000))") }
            return lines.map { Line($0, .red) }
        case .sent(let m):
            guard verbose else { return nil }
            return [Line("> sent \(describe(m))")]
        case .message, .secrets:
            return nil
        case .ping(let c):
            guard verbose else { return nil }
            return [Line("\(c.direction == .in ? "< ping" : "> ping") \(c.data.count) bytes")]
        case .pong(let c):
            guard verbose || c.rttMs != nil else { return nil }
            let rtt = c.rttMs.map { " (RTT \(formatMs($0)))" } ?? ""
            return [Line("\(c.direction == .in ? "< pong" : "> pong") \(c.data.count) bytes\(rtt)")]
        case .close(let c):
            return closeLine(c).map { [$0] }
        case .refresh(let r):
            if let skipped = r.skipped { return [Line("refresh skipped: \(skipped)")] }
            guard r.ok else { return [Line("refresh failed\(r.status.map { ": HTTP \($0)" } ?? "")", .red)] }
            let expiry = r.expiresAt.map { " — new token expires \(describeExpiry($0))" } ?? ""
            return [Line("refreshed\(r.rotated ? " (refresh token rotated)" : "")\(expiry)")]
        case .reconnect(let r):
            return [
                Line(
                    "reconnecting (attempt \(r.attempt)) in \(TimeSpan.format(seconds: Double(r.delayMs) / 1000)) after \(r.cause)"
                )
            ]
        case .check(let c):
            // A table row: verdict, name, sentence (the longest check name is 18).
            return [
                Line(
                    "\(c.verdict.rawValue.uppercased().padding(toLength: 5)) \(c.name.padding(toLength: 19)) \(c.detail)"
                )
            ]
        case .finding(let f):
            return findingLines(f)
        case .token(let t):
            return [Line(tokenLines(t))]
        case .status(let s):
            return [Line(statusLine(s))]
        case .login(let l):
            var lines = [
                Line("logged in\(l.user.map { " as \($0)" } ?? "")\(l.tokenType.map { " (\($0) token)" } ?? "")")
            ]
            if let expiresAt = l.expiresAt { lines.append(Line("token expires \(describeExpiry(expiresAt))")) }
            if !l.cookies.isEmpty { lines.append(Line("cookies: \(l.cookies.joined(separator: ", "))")) }
            lines += l.warnings.map { Line("warning: \($0)", .yellow) }
            return lines
        case .error:
            return nil  // the final stderr line says it
        case .note(let text):
            return [Line(text)]
        case .appOpened(let app, let details):
            let told = details.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
            return [Line("\(app) session open\(told.isEmpty ? "" : " (\(told))")")]
        }
    }

    func closeLine(_ c: CloseReport) -> Line? {
        let clean = c.code == 1000 || c.code == 1001 || c.code == 1005
        // Our own clean close is the expected ending: only worth saying with -v, or
        // when it says why (the reason code of an MQTT DISCONNECT that ended the session).
        if c.initiator == .client, clean, c.reason.isEmpty, !verbose, !probeReport { return nil }
        let who = c.initiator == .server ? "closed by server" : "closed by wsauth"
        let reason = c.reason.isEmpty ? "" : " \"\(c.reason)\""
        let auth = c.auth ? " [auth close code]" : ""
        return Line("\(who): \(c.code)\(reason) — \(c.meaning)\(auth)", clean ? nil : .yellow)
    }

    func statusLine(_ s: StatusReport) -> String {
        let expiry =
            s.accessExpiresAt.map { "access token expires \(describeExpiry($0))" } ?? "access token expiry unknown"
        guard s.loggedIn else { return "\(s.profile): not logged in" }
        let cookies = s.cookies.isEmpty ? "" : ", cookies: \(s.cookies.joined(separator: ", "))"
        return "\(s.profile): logged in, \(expiry), refresh token \(s.refreshToken ? "stored" : "none")\(cookies)"
    }

    /// A doctor finding: severity and check, the sentence, and the fix indented under it.
    func findingLines(_ f: FindingReport) -> [Line] {
        let label: (text: String, colour: Line.Colour)
        switch f.severity {
        case .ok: label = ("ok   ", .green)
        case .warn: label = ("warn ", .yellow)
        case .error: label = ("error", .red)
        }
        var lines = [Line("\(label.text) \(f.check.padding(toLength: 12)) \(f.detail)", label.colour)]
        if let fix = f.fix { lines.append(Line("      fix: \(fix)")) }
        return lines
    }

    func handshakeLines(_ h: HandshakeReport) -> [Line] {
        var lines = ["> \(h.requestLine)"]
        lines += h.requestHeaders.map { "> \($0.name): \(redactor.headerValue(name: $0.name, value: $0.value))" }
        lines.append("< \(h.statusLine)")
        lines += h.responseHeaders.map { "< \($0.name): \(redactor.headerValue(name: $0.name, value: $0.value))" }
        return lines.map { Line($0) }
    }

    func probeSummary(_ h: HandshakeReport) -> [Line] {
        func ms(_ value: Int?) -> String { value.map { "\($0) ms" } ?? "n/a" }
        var lines = [
            // A report exists only for a validated 101 (HandshakeRunner).
            "Sec-WebSocket-Accept: verified (RFC 6455 §4.2.2)",
            "subprotocol: \(h.subprotocol ?? "none")",
            "extensions: \(h.extensions.isEmpty ? "none" : h.extensions.joined(separator: ", "))",
            "token: \(h.tokenPlacement.map { "sent in the \($0.rawValue)" } ?? "none sent")",
            "timings: dns \(ms(h.timings.dnsMs)), connect \(ms(h.timings.connectMs)), tls \(ms(h.timings.tlsMs)), upgrade \(ms(h.timings.upgradeMs))",
        ]
        if let skew = h.serverSkewMs {
            let seconds = Double(skew) / 1000
            let verdict = abs(seconds) <= 2 ? "in step" : "token expiry checks will be off by this much"
            lines.append("server clock: \(seconds >= 0 ? "+" : "-")\(Int(abs(seconds)))s against local (\(verdict))")
        } else {
            lines.append("server clock: unknown (no Date header)")
        }
        return [Line("upgrade accepted: HTTP \(h.status)", .green)] + lines.map { Line($0) }
    }

    func tokenLines(_ t: TokenReport) -> String {
        guard !t.opaque else {
            return "opaque token (not a JWT): nothing to decode; only the server knows when it expires"
        }
        var lines: [String] = []
        if let header = t.header { lines.append("header: \(header.pretty(redactor: redactor))") }
        if let claims = t.claims {
            lines.append("claims: \(claims.pretty(redactor: redactor))")
            for name in ["exp", "iat", "nbf"] {
                if let seconds = claims[name]?.numberValue {
                    lines.append("\(name): \(describeExpiry(Timestamp(timeIntervalSince1970: seconds)))")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `2026-11-22T03:17:05.000Z (in 4m12s)` or `(3m12s ago)`.
    func describeExpiry(_ date: Timestamp) -> String {
        let delta = date.timeIntervalSinceNow
        let relative = delta >= 0 ? "in \(TimeSpan.format(seconds: delta))" : "\(TimeSpan.format(seconds: -delta)) ago"
        return "\(Timestamp.rfc3339(date)) (\(relative))"
    }

    func describe(_ m: MessageReport) -> String {
        switch m.payload {
        case .text(let text):
            let shown = m.carriesCredential && !redactor.showSecrets ? "(auth message, redacted)" : redactor.text(text)
            return "text \(m.payload.size) bytes: \(shown.prefix(200))"
        case .binary(let bytes):
            return "binary \(bytes.count) bytes"
        }
    }

    func formatMs(_ ms: Double) -> String {
        ms < 10 ? "\((ms * 10).rounded() / 10) ms" : "\(Int(ms.rounded())) ms"
    }

}

/// A line (or several) for people, and the colour it is painted in on a terminal:
/// the writer paints after it has escaped the text, so that only our own escape
/// sequences reach the terminal.
struct Line {
    enum Colour: String {
        case red = "31"
        case yellow = "33"
        case green = "32"
    }

    var text: String
    var colour: Colour?

    init(_ text: String, _ colour: Colour? = nil) {
        self.text = text
        self.colour = colour
    }
}
