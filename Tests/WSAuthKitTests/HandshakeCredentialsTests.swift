import Testing

@testable import WSAuthKit

/// What a handshake carries, from resolved flag values and stored cookies, with no I/O
/// (docs/reference/behaviour.md `connect`; cookies by RFC 6265 §5.4).
struct HandshakeCredentialsTests {
    private static func cookie(_ name: String, domain: String) -> NetscapeCookie {
        NetscapeCookie(
            domain: domain,
            includeSubdomains: false,
            path: "/",
            secure: false,
            expires: 0,
            name: name,
            value: "v-" + name,
            httpOnly: false
        )
    }

    private func credentials(_ url: String = "ws://api.example/socket") throws -> HandshakeCredentials {
        var transport = TransportOptions()
        transport.headers = [HTTPHeader(name: "X-Trace", value: "1")]
        return HandshakeCredentials(
            url: try WebSocketURL.parse(url),
            transport: transport,
            presentation: TokenPresentation()
        )
    }

    @Test func planCarriesTheFlagsAndTheTokenAsPresented() throws {
        var handshake = try credentials()
        handshake.origin = "https://app.example"
        handshake.appSubprotocols = ["graphql-transport-ws"]
        handshake.subprotocols = ["v2"]
        handshake.compress = true
        let plan = handshake.plan(token: Secret("tok"))
        #expect(
            plan.headers == [
                HTTPHeader(name: "X-Trace", value: "1"), HTTPHeader(name: "Authorization", value: "Bearer tok"),
            ]
        )
        #expect(plan.origin == "https://app.example")
        #expect(plan.subprotocols == ["graphql-transport-ws", "v2"])
        #expect(plan.extensions == [DeflateParameters.offer])
    }

    /// With `--app` the token goes in the app's own handshake, not the upgrade.
    @Test func aTokenInTheAppPayloadLeavesTheUpgradeAlone() throws {
        var handshake = try credentials()
        handshake.tokenInPayload = true
        #expect(handshake.plan(token: Secret("tok")).headers == [HTTPHeader(name: "X-Trace", value: "1")])
    }

    @Test func storedCookiesRideOnlyToTheirHost() throws {
        var handshake = try credentials()
        handshake.storedCookies = [
            Self.cookie("sid", domain: "api.example"), Self.cookie("other", domain: "elsewhere.example"),
        ]
        #expect(handshake.plan(token: nil).cookies.map(\.name) == ["sid"])
        #expect(handshake.knownCookies.map(\.name) == ["sid", "other"])
        #expect(handshake.sessionCookie()?.name == "sid")
    }

    /// `--session-header`: the session cookie's value in a header, and no Cookie header.
    @Test func sessionHeaderReplacesTheCookieHeader() throws {
        var handshake = try credentials()
        handshake.storedCookies = [Self.cookie("sid", domain: "api.example")]
        handshake.sessionHeader = "X-Session"
        let plan = handshake.plan(token: nil)
        #expect(plan.cookies.isEmpty)
        #expect(plan.headers.last == HTTPHeader(name: "X-Session", value: "v-sid"))
    }

    @Test func sessionCookieNamedByTheFlagWins() throws {
        var handshake = try credentials()
        handshake.storedCookies = [
            Self.cookie("sid", domain: "api.example"), Self.cookie("app", domain: "api.example"),
        ]
        handshake.sessionCookieName = "app"
        #expect(handshake.sessionCookie()?.name == "app")
        handshake.sessionCookieName = "missing"
        #expect(handshake.sessionCookie() == nil)
    }

    /// A line break from the user is a usage error; from the store, the server's fault.
    @Test func headerValuesAreCheckedBySource() throws {
        var handshake = try credentials()
        handshake.origin = "https://a\r\nX: y"
        let user = #expect(throws: Failure.self) {
            try handshake.checkHeaderValues(token: nil, source: .user("the token given"))
        }
        #expect(user?.exitStatus == .usage)
        #expect(user?.message.hasPrefix("refusing --origin: it holds a CR character") == true)

        handshake = try credentials()
        handshake.storedCookies = [
            NetscapeCookie(
                domain: "api.example",
                includeSubdomains: false,
                path: "/",
                secure: false,
                expires: 0,
                name: "sid",
                value: "a\nb",
                httpOnly: false
            )
        ]
        let server = #expect(throws: Failure.self) {
            try handshake.checkHeaderValues(token: nil, source: .server("the stored access token"))
        }
        #expect(server?.exitStatus == .handshakeFailed)
        #expect(throws: Never.self) {
            try self.credentials().checkHeaderValues(token: Secret("ok"), source: .user("t"))
        }
    }
}
