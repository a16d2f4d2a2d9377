import Testing

@testable import WSAuthKit

/// The device flow's two limits (RFC 8628 §3.2 `expires_in`, and `--timeout`): the
/// code running out is exit 2 whichever clock notices, only `--timeout` is exit 5.
@Suite struct DeviceFlowTests {
    let start = ContinuousClock.now

    @Test func theCodeRunningOutFirstIsAnAuthFailure() {
        let limit = DeviceWaitLimit(expiresIn: 10, timeout: 300, start: start)
        #expect(limit.failure(ifPollingAt: start + .seconds(9)) == nil)
        #expect(limit.failure(ifPollingAt: start + .seconds(10))?.exitStatus == .authRejected)
    }

    @Test func theTimeoutRunningOutFirstIsATimeout() {
        let limit = DeviceWaitLimit(expiresIn: 600, timeout: 30, start: start)
        #expect(limit.failure(ifPollingAt: start + .seconds(29)) == nil)
        let failure = limit.failure(ifPollingAt: start + .seconds(31))
        #expect(failure?.exitStatus == .timeout && failure?.message.contains("30s") == true)
        #expect(limit.secondsLeft(at: start + .seconds(31)) == 569)
    }

    @Test func pollingStopsWhenTheCodeRunsOutByOurClock() throws {
        let pending = CannedHTTP.Answer.json(400, #"{"error":"authorization_pending"}"#)
        let http = CannedHTTP([pending, pending, pending])
        let flow = DeviceFlow(login: login(timeout: 300), store: store(), transport: TransportOptions(), http: http)
        let authorization = DeviceAuthorization(
            deviceCode: Secret("device-code"),
            userCode: "BCDF-GHJK",
            verificationURI: "https://id.example/device",
            verificationURIComplete: nil,
            expiresIn: 1.5,
            interval: 1
        )
        var left: [Double] = []
        let failure = #expect(throws: Failure.self) {
            _ = try flow.poll(authorization, emit: { _ in }, waiting: { left.append($0) })
        }
        #expect(failure?.exitStatus == .authRejected && failure?.message == DeviceWaitLimit.codeExpired.message)
        #expect(http.requests.count == 1, "one poll at 1 s; the next, at 2 s, would be past expires_in")
        #expect(left.first.map { $0 > 1 && $0 <= 1.5 } == true)
    }

    @Test func theServersExpiredTokenIsTheSameFailure() {
        let answer = HTTPResponse.canned(400, #"{"error":"expired_token"}"#)
        let failure = #expect(throws: Failure.self) {
            _ = try DevicePollAnswer.interpret(answer, url: "https://id.example/token")
        }
        #expect(failure?.exitStatus == .authRejected && failure?.message == DeviceWaitLimit.codeExpired.message)
    }

    private func login(timeout: Double) -> InteractiveLogin {
        InteractiveLogin(
            metadata: OAuthMetadata(issuer: "https://id.example", tokenEndpoint: "https://id.example/token"),
            clientID: "cli",
            clientSecret: nil,
            scope: nil,
            audience: nil,
            timeout: TimeSpan(seconds: timeout)
        )
    }

    private func store() -> CredentialStore {
        CredentialStore(profile: .standard, paths: Paths(configFile: "/nonexistent/c", stateDirectory: "/nonexistent"))
    }
}
