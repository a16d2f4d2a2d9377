import WSAuthKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Events in words for people. nil means "nothing to say at this verbosity".
struct HumanRenderer {
    let redactor: Redactor
    let verbose: Bool
    let colour: Bool
    /// `probe`: the handshake in full, with the checks and timings after it.
    var probeReport = false

    func render(_ event: Event) -> String? {
        switch event.kind {
        case .handshake(let h):
            if probeReport { return (handshakeLines(h) + [""] + probeSummary(h)).joined(separator: "\n") }
            return verbose ? handshakeLines(h).joined(separator: "\n") : nil
        case .rejected(let r):
            if let app = r.app {
                return paint("\(app) refused the credentials: \(redactor.text(r.message ?? ""))", .red)
            }
            var lines = ["< \(r.statusLine)"]
            lines += r.headers.map { "< \($0.name): \(redactor.headerValue(name: $0.name, value: $0.value))" }
            if !r.body.isEmpty { lines.append("body: \(redactor.text(r.body.trimmingSpaces().prefix(2000).description))") }
            return paint(lines.joined(separator: "\n"), .red)
        case .sent(let m):
            guard verbose else { return nil }
            return "> sent \(describe(m))"
        case .message:
            return nil
        case .ping(let c):
            guard verbose else { return nil }
            return "\(c.direction == .in ? "< ping" : "> ping") \(c.data.count) bytes"
        case .pong(let c):
            guard verbose || c.rttMs != nil else { return nil }
            let rtt = c.rttMs.map { " (RTT \(formatMs($0)))" } ?? ""
            return "\(c.direction == .in ? "< pong" : "> pong") \(c.data.count) bytes\(rtt)"
        case .close(let c):
            let clean = c.code == 1000 || c.code == 1001 || c.code == 1005
            // Our own clean close is the expected ending: only worth saying with -v.
            if c.initiator == "client", clean, !verbose, !probeReport { return nil }
            let who = c.initiator == "server" ? "closed by server" : "closed by wsauth"
            let reason = c.reason.isEmpty ? "" : " \"\(redactor.text(c.reason))\""
            let auth = c.auth ? " [auth close code]" : ""
            let line = "\(who): \(c.code)\(reason) — \(c.meaning)\(auth)"
            return clean ? line : paint(line, .yellow)
        case .refresh(let r):
            if let skipped = r.skipped { return "refresh skipped: \(skipped)" }
            guard r.ok else { return paint("refresh failed\(r.status.map { ": HTTP \($0)" } ?? "")", .red) }
            let expiry = r.expiresAt.map { " — new token expires \(describeExpiry($0))" } ?? ""
            return "refreshed\(r.rotated ? " (refresh token rotated)" : "")\(expiry)"
        case .reconnect(let r):
            return "reconnecting (attempt \(r.attempt)) in \(TimeSpan.format(seconds: Double(r.delayMs) / 1000)) after \(r.cause)"
        case .check(let c):
            // A table row: verdict, name, sentence (the longest check name is 18).
            return "\(c.verdict.rawValue.uppercased().padding(toLength: 5)) \(c.name.padding(toLength: 19)) \(redactor.text(c.detail))"
        case .token(let t):
            return tokenLines(t)
        case .status(let s):
            let expiry = s.accessExpiresAt.map { "access token expires \(describeExpiry($0))" } ?? "access token expiry unknown"
            guard s.loggedIn else { return "\(s.profile): not logged in" }
            let cookies = s.cookies.isEmpty ? "" : ", cookies: \(s.cookies.joined(separator: ", "))"
            return "\(s.profile): logged in, \(expiry), refresh token \(s.refreshToken ? "stored" : "none")\(cookies)"
        case .login(let l):
            var lines = ["logged in\(l.user.map { " as \($0)" } ?? "")\(l.tokenType.map { " (\($0) token)" } ?? "")"]
            if let expiresAt = l.expiresAt { lines.append("token expires \(describeExpiry(expiresAt))") }
            if !l.cookies.isEmpty { lines.append("cookies: \(l.cookies.joined(separator: ", "))") }
            lines += l.warnings.map { paint("warning: \($0)", .yellow) }
            return lines.joined(separator: "\n")
        case .error:
            return nil  // the final stderr line says it
        case .note(let text):
            return redactor.text(text)
        }
    }

    func handshakeLines(_ h: HandshakeReport) -> [String] {
        var lines = ["> \(redactor.text(h.requestLine))"]
        lines += h.requestHeaders.map { "> \($0.name): \(redactor.headerValue(name: $0.name, value: $0.value))" }
        lines.append("< \(h.statusLine)")
        lines += h.responseHeaders.map { "< \($0.name): \(redactor.headerValue(name: $0.name, value: $0.value))" }
        return lines
    }

    func probeSummary(_ h: HandshakeReport) -> [String] {
        func ms(_ value: Int?) -> String { value.map { "\($0) ms" } ?? "n/a" }
        var lines = [
            paint("upgrade accepted: HTTP \(h.status)", .green),
            // A report exists only for a validated 101 (HandshakeRunner).
            "Sec-WebSocket-Accept: verified (RFC 6455 §4.2.2)",
            "subprotocol: \(h.subprotocol ?? "none")",
            "extensions: \(h.extensions.isEmpty ? "none" : h.extensions.joined(separator: ", "))",
            "token: \(h.tokenPlacement.map { "sent in the \($0)" } ?? "none sent")",
            "timings: dns \(ms(h.timings.dnsMs)), connect \(ms(h.timings.connectMs)), tls \(ms(h.timings.tlsMs)), upgrade \(ms(h.timings.upgradeMs))",
        ]
        if let skew = h.serverSkewMs {
            let seconds = Double(skew) / 1000
            let verdict = abs(seconds) <= 2 ? "in step" : "token expiry checks will be off by this much"
            lines.append("server clock: \(seconds >= 0 ? "+" : "-")\(Int(abs(seconds)))s against local (\(verdict))")
        } else {
            lines.append("server clock: unknown (no Date header)")
        }
        return lines
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
                    lines.append("\(name): \(describeExpiry(Date(timeIntervalSince1970: seconds)))")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `2026-11-22T03:17:05.000Z (in 4m12s)` or `(3m12s ago)`.
    func describeExpiry(_ date: Date) -> String {
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

    enum Colour: String { case red = "31", yellow = "33", green = "32" }

    func paint(_ text: String, _ colour: Colour) -> String {
        self.colour ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }
}
