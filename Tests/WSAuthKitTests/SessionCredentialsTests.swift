import Testing

@testable import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// The credentials of `connect` and `probe` beyond the handshake: the app's HTTP step and
/// the `--token-file` refresh (docs/reference/behaviour.md `connect`, docs/protocols.md `pusher`).
struct SessionCredentialsTests {
    private func credentials() throws -> HandshakeCredentials {
        HandshakeCredentials(
            url: try WebSocketURL.parse("ws://api.example/app/key"),
            transport: TransportOptions(),
            presentation: TokenPresentation()
        )
    }

    private static func header(_ request: HTTPRequest, _ name: String) -> String? {
        request.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    @Test func theAppRequestCarriesTheBearerOnlyToTheWebSocketsHost() throws {
        let handshake = try credentials()
        let own = handshake.appRequest(
            AppHTTPRequest(tag: "private-a", url: "http://api.example/broadcasting/auth"),
            token: Secret("tok")
        )
        #expect(Self.header(own, "Authorization") == "Bearer tok")
        let other = handshake.appRequest(
            AppHTTPRequest(tag: "private-a", url: "http://auth.elsewhere.example/broadcasting/auth"),
            token: Secret("tok")
        )
        #expect(Self.header(other, "Authorization") == nil)
        let none = handshake.appRequest(
            AppHTTPRequest(tag: "private-a", url: "http://api.example/broadcasting/auth"),
            token: nil
        )
        #expect(Self.header(none, "Authorization") == nil)
    }

    /// `--session-header`: the session's value in that header and no Cookie, as at the upgrade.
    @Test func aSessionHeaderGoesInsteadOfTheCookie() throws {
        var handshake = try credentials()
        handshake.sessionHeader = "X-Session-Token"
        handshake.sessionCookieName = "sid"
        handshake.storedCookies = [
            NetscapeCookie(
                domain: "api.example",
                includeSubdomains: false,
                path: "/",
                secure: false,
                expires: 0,
                name: "sid",
                value: "s3ss10n",
                httpOnly: true
            )
        ]
        let request = handshake.appRequest(
            AppHTTPRequest(tag: "private-a", url: "http://api.example/broadcasting/auth"),
            token: nil
        )
        #expect(Self.header(request, "X-Session-Token") == "s3ss10n")
        #expect(Self.header(request, "Cookie") == nil)
        handshake.sessionHeader = nil
        let withCookie = handshake.appRequest(
            AppHTTPRequest(tag: "private-a", url: "http://api.example/broadcasting/auth"),
            token: nil
        )
        #expect(Self.header(withCookie, "Cookie") == "sid=s3ss10n")
    }

    @Test func theTokenFileIsReadAgainOnEveryRefresh() throws {
        let path = "/tmp/wsauth-token-file-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { _ = try? FileIO.remove(path) }
        try FileIO.replaceAtomically(path, with: Array("first\n".utf8))
        var registered: [String] = []
        var reports: [RefreshReport] = []
        let refresh = SessionCredentials.tokenFileRefresher(
            path: path,
            current: Secret("first"),
            register: { registered.append($0.reveal()) },
            emit: { event in if case .refresh(let report) = event.kind { reports.append(report) } }
        )
        #expect(try refresh()?.reveal() == "first")
        #expect(reports.map(\.ok) == [false] && reports.first?.skipped?.contains("same token") == true)
        #expect(registered.isEmpty)

        try FileIO.replaceAtomically(path, with: Array("second\n".utf8))
        #expect(try refresh()?.reveal() == "second")
        #expect(reports.map(\.ok) == [false, true])
        #expect(registered == ["second"])

        _ = try FileIO.remove(path)
        #expect(throws: Failure.self) { try refresh() }
    }
}
