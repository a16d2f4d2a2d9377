import CLibFuzzer
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// Cookies from servers and files: the first line of the input is a Set-Cookie value
/// (parsed and audited as after a login), the rest a Netscape cookie file (parsed and
/// matched against a WebSocket URL as before a handshake).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCookies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let lines = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false)
    let header = String(decoding: lines[0], as: UTF8.self)
    let file = lines.count > 1 ? String(decoding: lines[1], as: UTF8.self) : ""
    guard let url = try? WebSocketURL.parse("wss://api.example.com:8443/ws/chat?room=1") else { return 0 }
    let now = Timestamp(timeIntervalSince1970: 1_800_000_000)

    if let cookie = SetCookie.parse(header) {
        precondition(!cookie.name.isEmpty, "a cookie without a name")
        _ = CookieAudit.warnings(
            for: cookie,
            loginHost: "Example.COM",
            loginPath: "/auth/login",
            webSocket: url,
            onlyCookie: true
        )
        _ = CookieAudit.warnings(for: cookie, loginHost: "10.0.0.1", loginPath: "", webSocket: nil, onlyCookie: false)
    }
    let cookies = NetscapeCookie.parseFile(file)
    let matching = matchingCookies(for: url, cookies: cookies, now: now)
    precondition(matching.allSatisfy { cookies.contains($0) }, "matched a cookie that was not in the file")
    _ = RequestCredentials.cookieHeader(matching)
    _ = SessionCookie.select(named: nil, cookies: cookies, loginCookieNames: [])
    return 0
}

// libFuzzer's main is shadowed by SwiftPM's (see CLibFuzzer/driver.h): start it here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzCookies))
