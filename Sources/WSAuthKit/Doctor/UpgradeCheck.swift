/// upgrade: a non-101 answer read for its cause (RFC 6455 §4.1, §4.2.2).
public enum UpgradeCheck {
    /// nginx's fix, the one most proxies in front of a WebSocket server need:
    /// Upgrade and Connection are hop-by-hop (RFC 9110 §7.6.1), so a proxy drops
    /// them unless told to pass them on, and nginx speaks HTTP/1.0 upstream by default.
    public static let nginxFix =
        #"in nginx's location block: `proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";`"#

    /// The finding for a rejection. A 403 is judged by `origin(_:retried:)` when no
    /// Origin was sent; here it is an authentication refusal.
    public static func diagnose(_ rejection: RejectionReport) -> DoctorFinding {
        let status = rejection.status
        let body = rejection.body.lowercased()
        let answer =
            "answered \(ServerText.shown(rejection.statusLine.split(separator: " ").dropFirst().joined(separator: " ")))"
        switch status {
        case 401, 403:
            let challenge = rejection.wwwAuthenticate.map { " (WWW-Authenticate: \(ServerText.shown($0)))" } ?? ""
            return .error(
                .upgrade,
                "the server \(answer)\(challenge): it refused the credentials",
                fix: nil,
                exit: .authRejected
            )
        case 404:
            return .error(
                .upgrade,
                "the server \(answer): there is no WebSocket endpoint at \(pathOf(rejection.url))",
                fix: "check the path in the URL (servers often use /ws, /socket, /socket.io/, /graphql)",
                exit: .handshakeFailed
            )
        case 300...399:
            let location = header(rejection, "Location")
            let target = location.flatMap { RedirectTarget.webSocketURL($0, from: rejection.url) }
            return .error(
                .upgrade,
                "the server \(answer), a redirect\(location.map { " to \($0)" } ?? ""); a WebSocket client does not follow redirects (RFC 6455 §4.1), and doctor does not take the credentials there",
                fix: target.map { "use \($0)" } ?? "use the URL the redirect points to, as ws:// or wss://",
                exit: .handshakeFailed
            )
        default:
            break
        }
        if body.contains("subprotocol") {
            return .error(
                .upgrade,
                "the server \(answer): it wants a subprotocol (\(shorten(rejection.body)))",
                fix: "offer the one it speaks with `--subprotocol NAME`",
                exit: .handshakeFailed
            )
        }
        if status == 426, let versions = header(rejection, "Sec-WebSocket-Version"), !versions.contains("13") {
            return .error(
                .upgrade,
                "the server \(answer) and speaks WebSocket version \(versions), not 13 (RFC 6455 §4.4)",
                fix: "the server is too old for RFC 6455 clients; upgrade it",
                exit: .handshakeFailed
            )
        }
        if lostUpgrade(status: status, body: body) {
            return .error(
                .upgrade,
                "the server \(answer): the Upgrade and Connection headers we sent did not reach it\(proxyName(rejection).map { " — \($0) in front of it drops them" } ?? "; a proxy in front of it drops them")",
                fix: proxyFix(rejection),
                exit: .handshakeFailed
            )
        }
        if status == 400 || status == 426 {
            return .error(
                .upgrade,
                "the server \(answer) to a well-formed RFC 6455 upgrade (version 13, fresh key)\(body.isEmpty ? "" : ": \(shorten(rejection.body))")",
                fix:
                    "see what it wants with `wsauth probe -v`; if a proxy is in front, compare with a handshake straight to the server",
                exit: .handshakeFailed
            )
        }
        return .error(
            .upgrade,
            "the server \(answer)\(body.isEmpty ? "" : ": \(shorten(rejection.body))")",
            fix: status >= 500 ? "the server (or the one behind the proxy) fails; see its logs" : nil,
            exit: .handshakeFailed
        )
    }

    /// A 403 (or Rails' 404) without Origin, retried with the URL's own: browsers always
    /// send one (RFC 6455 §4.1 step 8), and servers that check it refuse a handshake without.
    public static func origin(_ origin: String, status: Int, retried: ProbeOutcome) -> DoctorFinding? {
        guard retried.isAccepted else { return nil }
        var found = DoctorFinding.error(
            .upgrade,
            "the server answered \(status) without an Origin header and accepts the handshake with Origin: \(origin)",
            fix: "add `--origin \(origin)`",
            exit: .authRejected
        )
        found.wantsOrigin = true
        return found
    }

    /// An answer that shows the upgrade was never seen: a page served as plain HTTP,
    /// or a WebSocket server complaining that Upgrade/Connection are missing.
    /// nginx forwards as HTTP/1.0 by default, and a WebSocket server answers that with
    /// 505 (Python websockets: "unsupported HTTP version: HTTP/1.0") — seen in test_doctor.py.
    static func lostUpgrade(status: Int, body: String) -> Bool {
        if (200...299).contains(status) || status == 505 { return true }
        guard status == 400 || status == 426 else { return false }
        return ["upgrade", "connection header", "http/1.0", "http version"].contains { body.contains($0) }
    }

    static func proxyName(_ rejection: RejectionReport) -> String? {
        if let server = header(rejection, "Server"), server.lowercased().hasPrefix("nginx") { return "nginx" }
        if header(rejection, "Via") != nil { return "a proxy (Via: \(header(rejection, "Via")!))" }
        return nil
    }

    static func proxyFix(_ rejection: RejectionReport) -> String {
        if proxyName(rejection) == "nginx" { return nginxFix }
        return
            "make the proxy forward `Upgrade` and `Connection` over HTTP/1.1 (nginx: `proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection \"upgrade\";`)"
    }

    static func header(_ rejection: RejectionReport, _ name: String) -> String? {
        rejection.headers.first { $0.name.lowercased() == name.lowercased() }.map { ServerText.shown($0.value) }
    }

    static func pathOf(_ url: String) -> String {
        (try? WebSocketURL.parse(url))?.path ?? url
    }

    static func shorten(_ text: String) -> String {
        let line = ServerText.shown(String(text.split(whereSeparator: \.isNewline).first?.trimmingSpaces() ?? ""))
        return line.count <= 100 ? line : String(line.prefix(99)) + "…"
    }
}
