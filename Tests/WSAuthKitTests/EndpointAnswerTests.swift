import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The interpreters of the login, revocation, discovery and device answers, fed
/// canned responses: each status and body shape docs/reference/exit-codes.md gives an exit code for.
@Suite struct EndpointAnswerTests {
    private let temporary = TemporaryDirectory()
    var store: CredentialStore {
        CredentialStore(
            profile: .standard,
            paths: Paths(configFile: temporary.path + "/c", stateDirectory: temporary.path + "/state")
        )
    }
    let password = LoginRequest(
        url: "http://id.example/login",
        body: .credentials(user: "alice", password: Secret("pw"), form: false)
    )
    let now = Timestamp(timeIntervalSince1970: 1_800_000_000)

    func exit(_ body: () throws(Failure) -> Void) -> WSAuthKit.ExitStatus? {
        do throws(Failure) {
            try body()
            return nil
        } catch { return error.exitStatus }
    }

    @Test func aJSONLoginAnswerBecomesCredentials() throws {
        let response = HTTPResponse.canned(200, #"{"data":{"access_token":"A","refresh_token":"R","expires_in":60}}"#)
        let answer = try LoginAnswer.interpret(response, for: password, now: now)
        #expect(answer.credentials.accessToken?.reveal() == "A" && answer.credentials.refreshToken?.reveal() == "R")
        #expect(answer.credentials.tokenType == "Bearer" && answer.credentials.user == "alice")
        #expect(answer.credentials.expiresAt == now.addingTimeInterval(60))
        #expect(answer.report.ok && answer.report.cookies.isEmpty)
    }

    @Test func aSessionCookieWithoutATokenIsALogin() throws {
        let cookie = [HTTPHeader(name: "Set-Cookie", value: "sid=S1; Path=/; HttpOnly")]
        let line = "id.example\tFALSE\t/\tFALSE\t0\tsid\tS1"
        for status in [200, 302] {
            let response = HTTPResponse.canned(status, "<html>welcome</html>", headers: cookie, cookieLines: [line])
            let answer = try LoginAnswer.interpret(response, for: password, now: now)
            #expect(answer.credentials.accessToken == nil && answer.credentials.tokenType == nil)
            #expect(answer.credentials.cookieNames == ["sid"] && answer.report.cookies == ["sid"])
        }
    }

    @Test func loginFailuresCarryTheirExitCodes() {
        #expect(
            exit { () throws(Failure) in
                _ = try LoginAnswer.interpret(.canned(401, #"{"error":"invalid_grant"}"#), for: password, now: now)
            } == .authRejected
        )
        #expect(
            exit { () throws(Failure) in _ = try LoginAnswer.interpret(.canned(500, "oops"), for: password, now: now) }
                == .handshakeFailed
        )
        #expect(
            exit { () throws(Failure) in _ = try LoginAnswer.interpret(.canned(302, ""), for: password, now: now) }
                == .handshakeFailed
        )
        #expect(
            exit { () throws(Failure) in
                _ = try LoginAnswer.interpret(.canned(200, #"{"ok":true}"#), for: password, now: now)
            } == .handshakeFailed
        )
        #expect(
            exit { () throws(Failure) in
                _ = try LoginAnswer.interpret(.canned(200, "not json"), for: password, now: now)
            } == .handshakeFailed
        )
        // A token with a line break would split the headers of every later request.
        #expect(
            exit { () throws(Failure) in
                _ = try LoginAnswer.interpret(.canned(200, #"{"access_token":"A\r\nX: 1"}"#), for: password, now: now)
            } == .handshakeFailed
        )
    }

    @Test func aClientCredentialsLoginIsTheClientItself() throws {
        let request = LoginRequest(
            url: "http://id.example/token",
            body: .oauth(
                grant: .clientCredentials,
                user: nil,
                password: nil,
                clientID: "svc",
                clientSecret: Secret("x"),
                scope: nil
            )
        )
        let answer = try LoginAnswer.interpret(
            .canned(200, #"{"access_token":"A","token_type":"DPoP"}"#),
            for: request,
            now: now
        )
        #expect(answer.credentials.user == "svc" && answer.credentials.tokenType == "DPoP")
        #expect(
            answer.credentials.refreshEndpoint
                == RefreshEndpoint(url: "http://id.example/token", style: .oauth2, clientID: "svc")
        )
    }

    @Test func loginFlowSendsOnceAndStoresTheAnswer() throws {
        let http = CannedHTTP([.json(200, #"{"access_token":"A"}"#)])
        _ = try LoginFlow(store: store, transport: TransportOptions(), http: http).run(password) { _ in }
        #expect(http.requests.count == 1 && http.requests[0].method == "POST")
        #expect(try store.peek()?.accessToken?.reveal() == "A")
    }

    @Test func aRefusedRevocationStillForgetsTheCredentials() throws {
        #expect(exit { () throws(Failure) in try LogoutFlow.interpret(.canned(200, ""), url: "u") } == nil)
        #expect(
            exit { () throws(Failure) in
                try LogoutFlow.interpret(.canned(400, #"{"error":"invalid_client"}"#), url: "u")
            } == .authRejected
        )
        _ = try LoginFlow(
            store: store,
            transport: TransportOptions(),
            http: CannedHTTP([.json(200, #"{"access_token":"A"}"#)])
        )
        .run(password) { _ in }
        let http = CannedHTTP([.json(503, "")])
        let status = exit { () throws(Failure) in
            _ = try LogoutFlow(store: store, transport: TransportOptions(), http: http).run(
                revokeURL: "http://id.example/revoke"
            ) { _ in }
        }
        #expect(status == .handshakeFailed)
        #expect(http.requests.map(\.url) == ["http://id.example/revoke"])
        #expect(try store.peek() == nil)
    }

    @Test func discoveryTakesTheFirstDocumentWithATokenEndpoint() throws {
        #expect(OAuthDiscovery.interpret(.canned(404, "{}")) == nil)
        #expect(OAuthDiscovery.interpret(.canned(200, #"{"issuer":"https://id"}"#)) == nil)
        let http = CannedHTTP([
            .json(404, "not here"),
            .json(
                200,
                #"{"issuer":"https://id/realm","token_endpoint":"https://id/t","revocation_endpoint":"https://id/r"}"#
            ),
        ])
        let metadata = try OAuthDiscovery.discover(
            issuer: "https://id/realm",
            transport: TransportOptions(),
            http: http
        ) { _ in }
        #expect(
            metadata
                == OAuthMetadata(
                    issuer: "https://id/realm",
                    tokenEndpoint: "https://id/t",
                    revocationEndpoint: "https://id/r"
                )
        )
        #expect(
            http.requests.map(\.url) == [
                "https://id/realm/.well-known/openid-configuration",
                "https://id/.well-known/oauth-authorization-server/realm",
            ]
        )
    }

    @Test func deviceAuthorizationAnswersAreReadPerRFC8628() throws {
        let answer = try DeviceAuthorization.interpret(
            .canned(200, #"{"device_code":"D","user_code":"U-1","verification_url":"https://v","interval":500}"#),
            url: "u"
        )
        #expect(answer.deviceCode.reveal() == "D" && answer.verificationURI == "https://v")
        #expect(answer.interval == DeviceFlow.longestInterval && answer.expiresIn == 1800)
        #expect(
            exit { () throws(Failure) in
                _ = try DeviceAuthorization.interpret(.canned(200, #"{"device_code":"D"}"#), url: "u")
            } == .handshakeFailed
        )
        #expect(
            exit { () throws(Failure) in _ = try DeviceAuthorization.interpret(.canned(401, "{}"), url: "u") }
                == .authRejected
        )
    }

    @Test func eachDevicePollAnswerMeansWhatRFC8628Says() {
        func poll(_ status: Int, _ error: String) throws(Failure) -> DevicePollAnswer {
            try DevicePollAnswer.interpret(.canned(status, #"{"error":"\#(error)"}"#), url: "u")
        }
        #expect((try? poll(200, "")) == .granted)
        #expect((try? poll(400, "authorization_pending")) == .pending)
        #expect((try? poll(400, "slow_down")) == .slowDown)
        #expect(exit { () throws(Failure) in _ = try poll(400, "access_denied") } == .authRejected)
        #expect(exit { () throws(Failure) in _ = try poll(400, "expired_token") } == .authRejected)
        #expect(exit { () throws(Failure) in _ = try poll(500, "server_error") } == .handshakeFailed)
    }
}
