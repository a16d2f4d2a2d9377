import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What may ride on a request (RequestCredentials, ClientAuthentication,
/// CredentialScope.require, OAuthMetadata.check): URL and stored state in,
/// headers out.
@Suite struct RequestCredentialsTests {
    static func cookie(
        _ name: String,
        domain: String,
        subdomains: Bool = false,
        path: String = "/",
        secure: Bool = false,
        expires: Int64 = 0
    ) -> NetscapeCookie {
        NetscapeCookie(
            domain: domain,
            includeSubdomains: subdomains,
            path: path,
            secure: secure,
            expires: expires,
            name: name,
            value: "v-" + name,
            httpOnly: false
        )
    }

    let given = RequestCredentials(
        givenFor: "ws.example",
        headers: [HTTPHeader(name: "X-Api-Key", value: "K")],
        cookies: NetscapeCookie.literal("c=V", host: "ws.example")
            + [cookie("sid", domain: "bank.example", subdomains: true, secure: true)],
        stored: [cookie("session", domain: "ws.example"), cookie("idp", domain: "id.example")]
    )

    func exit(_ body: () throws(Failure) -> Void) -> WSAuthKit.ExitStatus? {
        do throws(Failure) {
            try body()
            return nil
        } catch { return error.exitStatus }
    }

    func header(_ request: HTTPRequest, _ name: String) -> String? {
        request.headers.first { $0.name == name }?.value
    }

    @Test func givenHeadersAndCookiesGoOnlyToTheirHost() {
        let toToken = given.attach(to: HTTPRequest(method: "POST", url: "https://id.example/token"))
        #expect(header(toToken, "X-Api-Key") == nil)
        #expect(header(toToken, "Cookie") == "idp=v-idp", "only the stored cookie that is id.example's")
        let home = given.attach(to: HTTPRequest(url: "http://ws.example/refresh"))
        #expect(header(home, "X-Api-Key") == "K")
        #expect(header(home, "Cookie") == "c=V; session=v-session")
    }

    @Test func noGivenHostSendsTheGivenOnesNowhere() {
        var nowhere = given
        nowhere.givenFor = nil
        let request = nowhere.attach(to: HTTPRequest(url: "http://ws.example/x"))
        #expect(header(request, "X-Api-Key") == nil)
        #expect(header(request, "Cookie") == "session=v-session")
    }

    @Test func aForeignSecureCookieOfAFileGoesNowhereElse() {
        let bankOverWS = RequestTarget(url: "ws://127.0.0.1:8080/ws")
        var file = RequestCredentials(
            givenFor: "127.0.0.1",
            headers: [],
            cookies: [Self.cookie("sid", domain: "bank.example", subdomains: true, secure: true)]
        )
        #expect(file.cookies(for: bankOverWS).isEmpty)
        file.givenFor = "www.bank.example"
        #expect(file.cookies(for: RequestTarget(url: "ws://www.bank.example/ws")).isEmpty, "Secure: not over ws://")
        #expect(file.cookies(for: RequestTarget(url: "wss://www.bank.example/ws")).map(\.name) == ["sid"])
    }

    @Test func cookiesGoByPathAndExpiryLongestPathFirst() {
        let now = Timestamp(timeIntervalSince1970: 1_000_000)
        let credentials = RequestCredentials(
            givenFor: nil,
            headers: [],
            cookies: [],
            stored: [
                Self.cookie("root", domain: "a.example"), Self.cookie("api", domain: "a.example", path: "/api"),
                Self.cookie("old", domain: "a.example", expires: 999_999),
                Self.cookie("other", domain: "a.example", path: "/app"),
            ]
        )
        let sent = credentials.cookies(for: RequestTarget(url: "https://a.example/api/ws"), now: now)
        #expect(sent.map(\.name) == ["api", "root"])
    }

    @Test func hostsCompareWithoutCaseOrRootDot() {
        let credentials = RequestCredentials(
            givenFor: "WS.Example.",
            headers: [HTTPHeader(name: "A", value: "1")],
            cookies: []
        )
        #expect(credentials.takesGiven(RequestTarget(url: "https://ws.example/x")))
        #expect(!credentials.takesGiven(RequestTarget(url: "https://ws.example.evil/x")))
    }

    @Test func aClientWithASecretUsesBasicAndOneWithoutNamesItself() {
        var headers: [HTTPHeader] = []
        var form: [(String, String)] = []
        #expect(
            ClientAuthentication.apply(
                clientID: "c",
                secret: Secret("s&:"),
                to: .revocation,
                headers: &headers,
                form: &form
            )
        )
        #expect(headers.map(\.value) == ["Basic " + Base64.encode(Array("c:s%26%3A".utf8))] && form.isEmpty)
        headers = []
        #expect(!ClientAuthentication.apply(clientID: "c", secret: nil, to: .token, headers: &headers, form: &form))
        #expect(headers.isEmpty && form.map(\.1) == ["c"])
    }

    @Test func anExplicitURLOutsideTheHostsIsAUsageErrorNamingTheKey() {
        let scope = CredentialScope(hosts: ["id.example", "ws.example"])
        let inside = exit { () throws(Failure) in
            try scope.require("https://ID.example/r", for: "x", profile: .standard, configFile: "c.toml")
        }
        #expect(inside == nil)
        var message = ""
        do throws(Failure) {
            try scope.require(
                "https://evil.example/r",
                for: "the refresh URL",
                profile: .standard,
                configFile: "c.toml"
            )
        } catch {
            message = error.message
            #expect(error.exitStatus == .usage)
        }
        #expect(
            message.contains("evil.example")
                && message.contains("add \"evil.example\" to hosts in [profiles.default] of c.toml")
        )
    }

    @Test func discoveryTrustsOnlyTheIssuerAskedForAndHTTPSEndpoints() {
        func check(_ metadata: OAuthMetadata, _ issuer: String = "https://id.example") -> Bool {
            exit { () throws(Failure) in try metadata.check(asked: issuer, document: "d") } == nil
        }
        let good = OAuthMetadata(
            issuer: "https://id.example",
            authorizationEndpoint: "https://id.example/a",
            tokenEndpoint: "https://id.example/t"
        )
        #expect(check(good) && check(good, "https://id.example/"))
        var other = good
        other.issuer = "https://evil.example"
        #expect(!check(other))
        other.issuer = ""
        #expect(!check(other))
        var plain = good
        plain.tokenEndpoint = "http://id.example/t"
        #expect(!check(plain))
        plain.tokenEndpoint = "http://127.0.0.1:9/t"
        #expect(check(plain))
        plain.tokenEndpoint = "http://127.attacker.example/t"
        #expect(!check(plain))
        var file = good
        file.authorizationEndpoint = "file:///etc/passwd"
        #expect(!check(file))
    }

    @Test func aRefreshAnswerReplacesOnlyTheCookiesItSets() throws {
        let current = Credentials(
            accessToken: Secret("A"),
            refreshToken: Secret("R"),
            tokenType: nil,
            expiresAt: nil,
            user: nil,
            cookies: [Self.cookie("keep", domain: "a"), Self.cookie("sid", domain: "a")],
            loginCookieNames: [],
            refreshEndpoint: nil,
            obtainedAt: Timestamp.now
        )
        let response = HTTPResponse.canned(
            200,
            #"{"access_token":"A2"}"#,
            headers: [HTTPHeader(name: "Set-Cookie", value: "sid=new")],
            cookieLines: ["a\tFALSE\t/\tFALSE\t0\tsid\tnew"]
        )
        let answer = try RefreshAnswer.interpret(
            response,
            current: current,
            endpoint: RefreshEndpoint(url: "http://a/r", style: .json),
            paths: TokenPaths(),
            now: Timestamp.now
        )
        #expect(answer.credentials.cookies.map { "\($0.name)=\($0.value)" } == ["keep=v-keep", "sid=new"])
    }
}
