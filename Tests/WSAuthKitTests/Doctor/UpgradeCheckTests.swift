import Testing

@testable import WSAuthKit

@Suite struct UpgradeCheckTests {
    func rejection(
        _ status: Int,
        _ reason: String,
        headers: [(String, String)] = [],
        body: String = ""
    ) -> RejectionReport {
        RejectionReport(
            url: "ws://127.0.0.1:8080/ws?token=x",
            status: status,
            statusLine: "HTTP/1.1 \(status) \(reason)",
            headers: headers.map { HTTPHeader(name: $0.0, value: $0.1) },
            body: body,
            wwwAuthenticate: headers.first { $0.0 == "WWW-Authenticate" }?.1
        )
    }

    @Test func nginxDroppingUpgradeGetsTheNginxFix() {
        // What Python websockets answers when nginx forwards without Upgrade/Connection.
        let found = UpgradeCheck.diagnose(
            rejection(
                426,
                "Upgrade Required",
                headers: [("Server", "nginx/1.22.1")],
                body: "Failed to open a WebSocket connection: missing Connection header.\n"
            )
        )
        #expect(found.blocking == .handshakeFailed && found.report.detail.contains("nginx"))
        #expect(found.report.fix == UpgradeCheck.nginxFix)
    }

    @Test func http10FromNginxIsTheProxy() {
        // Python websockets behind nginx without proxy_http_version 1.1.
        let found = UpgradeCheck.diagnose(
            rejection(
                505,
                "HTTP Version Not Supported",
                headers: [("Server", "nginx/1.22.1")],
                body: "Failed to open a WebSocket connection: unsupported HTTP version: HTTP/1.0.\n"
            )
        )
        #expect(found.report.fix == UpgradeCheck.nginxFix)
    }

    @Test func plainPageFromAProxyMeansTheUpgradeWasLost() {
        let found = UpgradeCheck.diagnose(rejection(200, "OK", headers: [("Via", "1.1 squid")], body: "<html>"))
        #expect(found.report.detail.contains("did not reach it") && found.report.fix?.contains("Upgrade") == true)
    }

    @Test func notFoundNamesThePath() {
        let found = UpgradeCheck.diagnose(rejection(404, "Not Found"))
        #expect(found.report.detail.contains("/ws") && !found.report.detail.contains("token=x"))
        #expect(found.report.fix?.contains("path") == true)
    }

    @Test func subprotocolWanted() {
        let found = UpgradeCheck.diagnose(
            rejection(400, "Bad Request", body: "Failed to open a WebSocket connection: missing subprotocol.\n")
        )
        #expect(found.report.fix?.contains("--subprotocol") == true)
    }

    @Test func oldVersionIsSaid() {
        let found = UpgradeCheck.diagnose(rejection(426, "Upgrade Required", headers: [("Sec-WebSocket-Version", "8")]))
        #expect(found.report.detail.contains("version 8"))
    }

    @Test func unauthorizedIsAuthRejection() {
        let found = UpgradeCheck.diagnose(rejection(401, "Unauthorized", headers: [("WWW-Authenticate", "Bearer")]))
        #expect(found.blocking == .authRejected && found.report.detail.contains("WWW-Authenticate: Bearer"))
    }

    @Test func originIsSuggestedOnlyWhenTheRetryWorks() throws {
        let url = try WebSocketURL.parse("ws://127.0.0.1:8080/ws")
        let report = HandshakeReport.switched(url: url.description, requestLine: "GET /ws HTTP/1.1")
        let found = UpgradeCheck.origin(
            "http://127.0.0.1:8080",
            status: 403,
            retried: .accepted(report, settle: TimeSpan(seconds: 0.3))
        )
        #expect(found?.report.fix == "add `--origin http://127.0.0.1:8080`")
        #expect(
            UpgradeCheck.origin("http://127.0.0.1:8080", status: 403, retried: .rejected(rejection(403, "Forbidden")))
                == nil
        )
    }
}

@Suite struct ServerTextTests {
    @Test func controlCharactersFromTheServerAreWrittenOut() {
        let found = UpgradeCheck.diagnose(
            RejectionReport(
                url: "ws://h/ws",
                status: 400,
                statusLine: "HTTP/1.1 400 Bad\u{1B}[2J",
                headers: [],
                body: "missing subprotocol \u{1B}]0;pwned\u{07}",
                wwwAuthenticate: nil
            )
        )
        #expect(!found.report.detail.contains("\u{1B}") && found.report.detail.contains("\\x1B]0;pwned\\x07"))
        #expect(ServerText.shown("a\u{9B}b") == "a\\x9Bb")
    }
}
