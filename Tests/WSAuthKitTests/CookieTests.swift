import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct CookieTests {
    let now = Timestamp(timeIntervalSince1970: 1_800_000_000)

    func url(_ text: String) throws -> WebSocketURL { try WebSocketURL.parse(text) }

    @Test func netscapeLinesRoundTrip() throws {
        let line = "#HttpOnly_.example.com\tTRUE\t/app\tTRUE\t0\tsid\tabc"
        let cookie = try #require(NetscapeCookie.parse(line))
        #expect(cookie.httpOnly && cookie.includeSubdomains && cookie.secure)
        #expect(
            cookie.domain == "example.com" && cookie.path == "/app" && cookie.name == "sid" && cookie.value == "abc"
        )
        #expect(cookie.line == line)
        #expect(NetscapeCookie.parse("# Netscape HTTP Cookie File") == nil)
        #expect(NetscapeCookie.parse("") == nil)
    }

    @Test func curlCookieFileParses() {
        let file =
            "# Netscape HTTP Cookie File\n\nlocalhost\tFALSE\t/\tFALSE\t0\ta\t1\n#HttpOnly_localhost\tFALSE\t/\tFALSE\t0\tb\t2\n"
        #expect(NetscapeCookie.parseFile(file).map(\.name) == ["a", "b"])
    }

    @Test func matchesDomainPathSecureAndExpiry() throws {
        let cookies = [
            "example.com\tFALSE\t/\tFALSE\t0\thostonly\t1",
            ".example.com\tTRUE\t/\tFALSE\t0\twide\t2",
            ".example.com\tTRUE\t/ws\tFALSE\t0\tdeep\t3",
            ".example.com\tTRUE\t/\tTRUE\t0\tsecure\t4",
            ".example.com\tTRUE\t/\tFALSE\t1700000000\texpired\t5",
            ".example.com\tTRUE\t/\tFALSE\t1900000000\tlater\t6",
            ".other.org\tTRUE\t/\tFALSE\t0\tforeign\t7",
            ".example.com\tTRUE\t/wsx\tFALSE\t0\tprefixonly\t8",
        ].compactMap(NetscapeCookie.parse)
        func sent(_ target: String) throws -> [String] {
            matchingCookies(for: try url(target), cookies: cookies, now: now).map { "\($0.name)=\($0.value)" }
        }
        #expect(try sent("ws://example.com/ws/chat") == ["deep=3", "hostonly=1", "wide=2", "later=6"])
        #expect(try sent("wss://api.example.com/") == ["wide=2", "secure=4", "later=6"])
        #expect(try sent("ws://nowhere.net/").isEmpty)
    }

    @Test func ipAddressesDoNotDomainMatchSuffixes() {
        #expect(!CookieRules.domainMatches(host: "1.2.3.4", domain: "2.3.4"))
        #expect(CookieRules.domainMatches(host: "127.0.0.1", domain: "127.0.0.1"))
        #expect(CookieRules.domainMatches(host: "a.b.example.com", domain: ".example.com"))
        #expect(!CookieRules.domainMatches(host: "badexample.com", domain: "example.com"))
    }

    @Test func pathMatchRules() {
        #expect(CookieRules.pathMatches(requestPath: "/ws", cookiePath: "/"))
        #expect(CookieRules.pathMatches(requestPath: "/ws/x", cookiePath: "/ws"))
        #expect(CookieRules.pathMatches(requestPath: "/ws/x", cookiePath: "/ws/"))
        #expect(!CookieRules.pathMatches(requestPath: "/wsx", cookiePath: "/ws"))
        #expect(CookieRules.defaultPath("/auth/login") == "/auth")
        #expect(CookieRules.defaultPath("/login") == "/")
    }

    @Test func parsesSetCookie() throws {
        let cookie = try #require(
            SetCookie.parse("sid=abc; Path=/; Domain=.Example.com; Secure; HttpOnly; SameSite=none; Max-Age=60")
        )
        #expect(cookie.name == "sid" && cookie.value == "abc" && cookie.domain == "example.com" && cookie.path == "/")
        #expect(cookie.secure && cookie.httpOnly && cookie.persistent && cookie.sameSite == SetCookie.SameSite.none)
        #expect(SetCookie.parse("novalue") == nil)
        #expect(SetCookie.parse("a=b; Path=relative")?.path == nil)
    }

    @Test func auditWarnsAboutCookiesThatBreakTheSocket() throws {
        let ws = try url("ws://chat.example.com/ws")
        func warnings(_ header: String, onlyCookie: Bool = false) throws -> [String] {
            CookieAudit.warnings(
                for: try #require(SetCookie.parse(header)),
                loginHost: "api.example.com",
                loginPath: "/auth/login",
                webSocket: ws,
                onlyCookie: onlyCookie
            )
        }
        #expect(
            try warnings("sid=1; SameSite=None; HttpOnly; Domain=example.com; Path=/").contains {
                $0.contains("SameSite=None without Secure")
            }
        )
        #expect(try warnings("PHPSESSID=1; Domain=example.com; Path=/").contains { $0.contains("lacks HttpOnly") })
        #expect(try warnings("theme=dark; Domain=example.com; Path=/").isEmpty)
        #expect(
            try warnings("theme=dark; Domain=example.com; Path=/", onlyCookie: true).contains {
                $0.contains("lacks HttpOnly")
            }
        )
        #expect(try warnings("sid=1; HttpOnly; Path=/").contains { $0.contains("host-only for api.example.com") })
        #expect(try warnings("sid=1; HttpOnly; Domain=other.org; Path=/").contains { $0.contains("Domain=other.org") })
        #expect(try warnings("sid=1; HttpOnly; Domain=example.com").contains { $0.contains("Path=/auth") })
        #expect(try warnings("sid=1; HttpOnly; Domain=example.com; Path=/; Secure").contains { $0.contains("ws://") })
        #expect(try warnings("sid=1; HttpOnly; Domain=example.com; Path=/").isEmpty)
    }

    @Test func sessionCookieRule() {
        let cookies = [
            "a.test\tFALSE\t/\tFALSE\t0\ttheme\tdark", "a.test\tFALSE\t/\tFALSE\t0\tPHPSESSID\tS1",
            "a.test\tFALSE\t/\tFALSE\t0\tcustom\tC1",
        ].compactMap(NetscapeCookie.parse)
        #expect(SessionCookie.select(named: "custom", cookies: cookies, loginCookieNames: [])?.value == "C1")
        #expect(SessionCookie.select(named: nil, cookies: cookies, loginCookieNames: ["theme"])?.value == "dark")
        #expect(
            SessionCookie.select(named: nil, cookies: cookies, loginCookieNames: ["theme", "custom"])?.value == "S1"
        )
        #expect(SessionCookie.select(named: "missing", cookies: cookies, loginCookieNames: []) == nil)
    }
}

@Suite struct SetCookieLineEndTests {
    @Test func lineEndsDoNotHideTheLastAttribute() {
        #expect(SetCookie.parse("sid=1; Path=/; HttpOnly\r\n")?.httpOnly == true)
        #expect(SetCookie.parse("sid=1; SameSite=None\r\n")?.sameSite == SetCookie.SameSite.none)
    }
}

/// curl's `-b NAME=VALUE[; NAME=VALUE]`: session cookies for the URL's host; a file name is not one.
@Suite struct LiteralCookieTests {
    @Test func pairsBecomeSessionCookiesForTheHost() {
        let cookies = NetscapeCookie.literal("sid=abc; theme = dark=ish ;bad", host: "api.example")
        #expect(cookies.map(\.name) == ["sid", "theme "])
        #expect(cookies.map(\.value) == ["abc", " dark=ish"])
        #expect(
            cookies.allSatisfy {
                $0.domain == "api.example" && $0.path == "/" && $0.expires == 0 && !$0.includeSubdomains
            }
        )
    }

    @Test func aFileNameOrNothingGivesNone() {
        #expect(NetscapeCookie.literal("cookies.txt", host: "h").isEmpty)
        #expect(NetscapeCookie.literal(nil, host: "h").isEmpty)
    }
}
