import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct CookieCheckTests {
    let now = Timestamp(timeIntervalSince1970: 1_800_000_000)

    func cookie(
        _ domain: String,
        sub: Bool = false,
        path: String = "/",
        secure: Bool = false,
        expires: Int64 = 0,
        _ name: String
    ) -> NetscapeCookie {
        NetscapeCookie(
            domain: domain,
            includeSubdomains: sub,
            path: path,
            secure: secure,
            expires: expires,
            name: name,
            value: "v",
            httpOnly: false
        )
    }

    func why(_ cookie: NetscapeCookie, _ url: String) throws -> String? {
        let found = CookieCheck.findings([cookie], url: try WebSocketURL.parse(url), now: now)
        return found.first { $0.report.severity == .warn }?.report.detail
    }

    @Test func eachReasonIsNamed() throws {
        #expect(
            try why(cookie("example.com", path: "/app", "sid"), "ws://example.com/ws")?.contains(
                "Path=/app does not cover /ws"
            ) == true
        )
        #expect(try why(cookie("example.com", secure: true, "sid"), "ws://example.com/ws")?.contains("Secure") == true)
        #expect(
            try why(cookie("example.com", expires: 1_799_999_000, "sid"), "ws://example.com/ws")?.contains("expired")
                == true
        )
        #expect(try why(cookie("example.com", "sid"), "ws://ws.example.com/ws")?.contains("host-only") == true)
        #expect(
            try why(cookie("other.org", sub: true, "sid"), "ws://example.com/ws")?.contains("Domain=other.org") == true
        )
    }

    @Test func matchingCookiesAreListed() throws {
        let found = CookieCheck.findings(
            [cookie("example.com", sub: true, "sid")],
            url: try WebSocketURL.parse("wss://ws.example.com/ws"),
            now: now
        )
        #expect(found.count == 1 && found[0].report.severity == .ok && found[0].report.detail.contains("sid"))
        #expect(CookieCheck.findings([], url: try WebSocketURL.parse("ws://a/"), now: now).isEmpty)
    }
}
