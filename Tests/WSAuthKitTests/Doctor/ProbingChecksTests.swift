import Testing

@testable import WSAuthKit

@Suite struct ProbingChecksTests {
    let url = try! WebSocketURL.parse("ws://127.0.0.1:9/ws")

    @Test func placementNamesTheAcceptedOneAsFlags() {
        let probe = FakeProbe(accepts: { $0.url.resource.contains("access_token=") })
        let found = PlacementSearch(
            base: HandshakePlan(url: url),
            token: Secret("t"),
            session: nil,
            current: "--token-in header"
        ).run(probe)
        #expect(found.report.fix == "add `--token-in query --query-param access_token`")
        // header is the current placement and not tried again: ?token= was tried, then ?access_token=.
        #expect(probe.attempts == 2)
    }

    @Test func placementSaysWhenNothingIsAccepted() {
        let found = PlacementSearch(
            base: HandshakePlan(url: url),
            token: Secret("t"),
            session: nil,
            current: "--token-in header"
        )
        .run(FakeProbe(accepts: { _ in false }))
        #expect(found.blocking == .authRejected && found.report.detail.contains("no other placement"))
    }

    @Test func sessionHeaderIsTried() {
        let session = SessionCookieCredential(name: "sid", value: Secret("s"))
        let probe = FakeProbe(accepts: { plan in plan.headers.contains { $0.name == "X-Session-Token" } })
        let found = PlacementSearch(base: HandshakePlan(url: url), token: nil, session: session, current: "").run(probe)
        #expect(found.report.fix == "add `--session-header X-Session-Token`")
    }

    @Test func consistencyCountsRefusals() {
        var turn = 0
        let probe = FakeProbe(accepts: { _ in
            turn += 1
            return turn % 2 == 0
        })
        let found = ConsistencyCheck.run(
            HandshakePlan(url: url),
            first: probe.attempt(HandshakePlan(url: url)),
            count: 5,
            probe: probe
        )
        #expect(found.report.detail.hasPrefix("3 of 5 refused") && found.report.fix?.contains("Redis") == true)
        #expect(ConsistencyCheck.judge(accepted: 5, of: 5).report.severity == .ok)
    }

    @Test func runnerExitsWithTheFirstBlockingFinding() {
        var runner = DoctorRunner(
            base: HandshakePlan(url: url),
            token: Secret("t"),
            presentation: TokenPresentation(),
            session: nil,
            probe: FakeProbe(accepts: { $0.url.resource.contains("token=") })
        )
        runner.repeatCount = 1
        let diagnosis = runner.run()
        #expect(diagnosis.exitStatus == .authRejected)
        #expect(diagnosis.ordered.first?.report.check == "placement")
        #expect(diagnosis.ordered[1].report.check == "upgrade")
        #expect(diagnosis.ordered.contains { $0.report.fix == "add `--token-in query`" })
    }
}
