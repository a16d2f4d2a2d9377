import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The decisions of the refresh and login flows, with canned answers instead of
/// a server: single-flight reuse, the expiry margin, retries, what is stored,
/// and the shape of the requests. Nothing here opens a socket.
@Suite struct FlowTests {
    private let temporary = TemporaryDirectory()
    var directory: String { temporary.path }
    var paths: Paths { Paths(configFile: directory + "/config.toml", stateDirectory: directory + "/state") }
    var store: CredentialStore { CredentialStore(profile: .standard, paths: paths) }
    let endpoint = "http://refresh.example/refresh"

    func save(expiresIn: Double, refreshedAt: Timestamp? = nil) throws {
        let credentials = Credentials(
            accessToken: Secret("A"),
            refreshToken: Secret("R"),
            tokenType: "Bearer",
            expiresAt: Timestamp.now.addingTimeInterval(expiresIn),
            user: nil,
            cookies: [],
            loginCookieNames: [],
            refreshEndpoint: RefreshEndpoint(url: endpoint, style: .json),
            obtainedAt: Timestamp.now,
            refreshedAt: refreshedAt
        )
        try store.locked { (t: inout CredentialStore.Transaction) throws(Failure) in try t.write(credentials) }
    }

    @Test func reusesARefreshThatAnotherProcessMadeMeanwhile() throws {
        let started = Timestamp.now
        try save(expiresIn: 600, refreshedAt: started.addingTimeInterval(0.01))
        var events: [Event] = []
        let (credentials, outcome) = try RefreshFlow(
            store: store,
            transport: TransportOptions(),
            settings: RefreshSettings(),
            startedAt: started
        ).run { events.append($0) }
        #expect(outcome == .reused)
        #expect(credentials.accessToken?.reveal() == "A")
        #expect(events.contains { if case .refresh(let r) = $0.kind { r.ok } else { false } })
    }

    @Test func leavesATokenAloneWhileItIsGoodForLongerThanTheMargin() throws {
        try save(expiresIn: 600)
        var settings = RefreshSettings()
        settings.ifExpiringWithin = TimeSpan(seconds: 60)
        let (_, outcome) = try RefreshFlow(store: store, transport: TransportOptions(), settings: settings).run { _ in }
        #expect(outcome == .notNeeded)
    }

    func expiringFlow(_ http: CannedHTTP) throws -> RefreshFlow {
        try save(expiresIn: 30, refreshedAt: Timestamp.now.addingTimeInterval(-100))
        var settings = RefreshSettings()
        settings.ifExpiringWithin = TimeSpan(seconds: 60)
        settings.backoff = TimeSpan(seconds: 0)
        return RefreshFlow(store: store, transport: TransportOptions(), settings: settings, http: http)
    }

    @Test func anExpiringTokenIsRefreshedAndTheRotatedTokensStored() throws {
        let http = CannedHTTP([.json(200, #"{"access_token":"A2","refresh_token":"R2","expires_in":900}"#)])
        let (credentials, outcome) = try expiringFlow(http).run { _ in }
        #expect(outcome == .refreshed(rotated: true))
        #expect(credentials.accessToken?.reveal() == "A2")
        #expect(http.requests.map(\.url) == [endpoint])
        #expect(String(decoding: http.requests[0].body ?? [], as: UTF8.self) == #"{"refresh_token":"R"}"#)
        let stored = try store.peek()
        #expect(stored?.refreshToken?.reveal() == "R2" && stored?.accessToken?.reveal() == "A2")
        #expect(stored?.expiresAt.map { $0.timeIntervalSinceNow > 800 } == true)
    }

    @Test func aServerErrorOrANetworkFailureIsTriedAgain() throws {
        let http = CannedHTTP([
            .json(503, "{}"), .failure(Failure(.network, "connection refused")),
            .json(200, #"{"access_token":"A2"}"#),
        ])
        let (credentials, outcome) = try expiringFlow(http).run { _ in }
        #expect(outcome == .refreshed(rotated: false))
        #expect(http.requests.count == 3)
        #expect(credentials.refreshToken?.reveal() == "R")
    }

    @Test func aNetworkFailureOnEveryAttemptIsExit4AndKeepsTheStoredTokens() throws {
        let refused = CannedHTTP.Answer.failure(Failure(.network, "connection refused"))
        let http = CannedHTTP([refused, refused, refused])
        let flow = try expiringFlow(http)
        do throws(Failure) {
            _ = try flow.run { _ in }
            Issue.record("expected the refused connection to fail")
        } catch {
            #expect(error.exitStatus == .networkFailure)
        }
        #expect(http.requests.count == 3)
        #expect(try store.peek()?.refreshToken?.reveal() == "R")
    }

    @Test func aRejectedRefreshIsExit2AndReportsItsStatusOnce() throws {
        let http = CannedHTTP([.json(401, #"{"error":"invalid_grant"}"#)])
        var reports: [RefreshReport] = []
        let flow = try expiringFlow(http)
        do throws(Failure) {
            _ = try flow.run { if case .refresh(let r) = $0.kind { reports.append(r) } }
            Issue.record("expected the rejection to fail")
        } catch {
            #expect(error.exitStatus == .authRejected)
            #expect(error.message.contains("invalid_grant"))
        }
        #expect(http.requests.count == 1)
        #expect(reports.count == 1 && reports.first?.ok == false && reports.first?.status == 401)
        #expect(try store.peek()?.accessToken?.reveal() == "A")
    }

    @Test func aRefreshAnswerWithoutAnAccessTokenIsRefused() throws {
        try save(expiresIn: 30)
        let current = try #require(try store.peek())
        for body in [#"{"refresh_token":"R2"}"#, "<html>"] {
            do throws(Failure) {
                _ = try RefreshAnswer.interpret(
                    .canned(200, body),
                    current: current,
                    endpoint: RefreshEndpoint(url: endpoint, style: .json),
                    paths: TokenPaths(),
                    now: Timestamp.now
                )
                Issue.record("expected \(body) to be refused")
            } catch {
                #expect(error.exitStatus == .handshakeFailed)
            }
        }
    }

    @Test func notLoggedInIsExit2() {
        do throws(Failure) {
            _ = try RefreshFlow(store: store, transport: TransportOptions(), settings: RefreshSettings()).run { _ in }
            Issue.record("expected a failure")
        } catch {
            #expect(error.exitStatus == .authRejected)
            #expect(error.message.contains("wsauth login"))
        }
    }

    @Test func oauthRefreshIsAFormWithBasicClientAuth() {
        var settings = RefreshSettings()
        settings.clientSecret = Secret("s3cret")
        let flow = RefreshFlow(store: store, transport: TransportOptions(), settings: settings)
        let request = flow.httpRequest(
            RefreshEndpoint(url: "http://a/token", style: .oauth2, clientID: "cli"),
            refreshToken: Secret("R 1")
        )
        #expect(String(decoding: request.body ?? [], as: UTF8.self) == "grant_type=refresh_token&refresh_token=R%201")
        #expect(
            request.headers.contains(
                HTTPHeader(name: "Authorization", value: "Basic " + Base64.encode(Array("cli:s3cret".utf8)))
            )
        )
    }

    @Test func jsonRefreshUsesTheConfiguredField() {
        let flow = RefreshFlow(store: store, transport: TransportOptions(), settings: RefreshSettings())
        let request = flow.httpRequest(
            RefreshEndpoint(url: "http://a/r", style: .json, field: "refreshToken"),
            refreshToken: Secret("R")
        )
        #expect(String(decoding: request.body ?? [], as: UTF8.self) == #"{"refreshToken":"R"}"#)
    }

    @Test func loginBodies() {
        let flow = LoginFlow(store: store, transport: TransportOptions())
        func body(_ b: LoginBody) -> String {
            String(decoding: flow.httpRequest(LoginRequest(url: "http://a/login", body: b)).body ?? [], as: UTF8.self)
        }
        #expect(
            body(.credentials(user: "al\"ice", password: Secret("p w"), form: false))
                == #"{"username":"al\"ice","password":"p w"}"#
        )
        #expect(
            body(.credentials(user: "alice", password: Secret("p&w"), form: true)) == "username=alice&password=p%26w"
        )
        #expect(
            body(
                .oauth(
                    grant: .password,
                    user: "alice",
                    password: Secret("pw"),
                    clientID: "cli",
                    clientSecret: nil,
                    scope: "chat"
                )
            )
                == "grant_type=password&username=alice&password=pw&scope=chat&client_id=cli"
        )
        #expect(
            body(
                .oauth(
                    grant: .clientCredentials,
                    user: nil,
                    password: nil,
                    clientID: "svc",
                    clientSecret: Secret("x"),
                    scope: nil
                )
            )
                == "grant_type=client_credentials"
        )
    }

    @Test func anOAuthLoginRefreshesAtItsTokenEndpoint() {
        let request = LoginRequest(
            url: "http://a/token",
            body: .oauth(
                grant: .password,
                user: "u",
                password: Secret("p"),
                clientID: "cli",
                clientSecret: nil,
                scope: nil
            )
        )
        #expect(request.refreshEndpoint == RefreshEndpoint(url: "http://a/token", style: .oauth2, clientID: "cli"))
    }

    @Test func sessionIDFollowsTheRule() {
        let cookies = ["h\tFALSE\t/\tFALSE\t0\ttheme\tdark", "h\tFALSE\t/\tFALSE\t0\tsid\tS1"].compactMap(
            NetscapeCookie.parse
        )
        #expect(SessionCookie.select(named: nil, cookies: cookies, loginCookieNames: ["sid"])?.value == "S1")
        #expect(SessionCookie.select(named: "theme", cookies: cookies, loginCookieNames: ["sid"])?.value == "dark")
        #expect(SessionCookie.select(named: nil, cookies: cookies, loginCookieNames: [])?.value == "S1")
    }
}
