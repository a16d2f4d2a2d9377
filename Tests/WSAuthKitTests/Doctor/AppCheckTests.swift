import Testing

@testable import WSAuthKit

/// An `--app` server: 101 always, then the app accepts or refuses by where the token
/// came (the plan's `appToken` is the app's payload), or never answers.
func appServer(silent: Bool = false, accepts: @escaping (HandshakePlan) -> Bool) -> FakeProbe {
    FakeProbe { plan in
        let report = FakeProbe.report(plan)
        if silent { return .appSilent(report, app: "socketio", why: .noAnswer(within: TimeSpan(seconds: 5))) }
        return accepts(plan)
            ? .appAccepted(report, app: "socketio") : .appRefused(report, app: "socketio", message: "no token")
    }
}

@Suite struct AppCheckTests {
    let url = try! WebSocketURL.parse("ws://127.0.0.1:9/socket.io/?EIO=4&transport=websocket")

    func runner(_ probe: any HandshakeProbe, placement: TokenPlacement) -> DoctorRunner {
        var presentation = TokenPresentation()
        presentation.placement = placement
        presentation.appPayload = true
        var runner = DoctorRunner(
            base: HandshakePlan(url: url),
            token: Secret("t"),
            presentation: presentation,
            session: nil,
            probe: probe
        )
        runner.repeatCount = 1
        runner.app = "socketio"
        runner.appFix = "the namespace (`--namespace`, now /)"
        return runner
    }

    @Test func appRefusalIsBlockingWithTheAppsMessageAndPlacementFindsTheHeader() {
        let probe = appServer { plan in plan.headers.contains { $0.name == "Authorization" } }
        let diagnosis = runner(probe, placement: .message).run()
        #expect(diagnosis.exitStatus == .authRejected)
        let app = diagnosis.findings.first { $0.report.check == "app" }
        #expect(app?.blocking == .authRejected && app?.report.detail.contains("\"no token\"") == true)
        #expect(app?.report.fix?.contains("--namespace") == true)
        #expect(diagnosis.findings.first { $0.report.check == "upgrade" }?.report.severity == .ok)
        #expect(diagnosis.ordered.first?.report.fix == "add `--token-in header`")
        // The payload (current) is not tried again; the first retry moved the token to the header.
        #expect(probe.plans.count == 2 && probe.plans[1].appToken == nil)
    }

    @Test func placementTriesTheAuthPayloadFirstWhenTheTokenWasInTheUpgrade() {
        let probe = appServer { $0.appToken?.reveal() == "t" }
        let diagnosis = runner(probe, placement: .header).run()
        let placement = diagnosis.findings.first { $0.report.check == "placement" }
        #expect(placement?.report.fix == "add `--token-in message`")
        #expect(placement?.report.detail.contains("the socketio auth payload") == true)
        #expect(probe.plans.count == 2)
    }

    @Test func noFirstMessageCandidateUnderAnApp() {
        let probe = appServer { _ in false }
        let diagnosis = runner(probe, placement: .message).run()
        let placement = diagnosis.findings.first { $0.report.check == "placement" }
        #expect(placement?.report.detail.contains("socketio refuses these credentials wherever they go") == true)
        #expect(placement?.report.detail.contains("the first message") == false)
        #expect(placement?.report.fix?.contains("--namespace") == true)
    }

    @Test func silenceIsAProtocolFindingWithoutPlacementSearch() {
        let probe = appServer(silent: true) { _ in true }
        let diagnosis = runner(probe, placement: .message).run()
        #expect(diagnosis.exitStatus == .handshakeFailed)
        #expect(
            diagnosis.findings.first { $0.report.check == "app" }?.report.detail.contains(
                "never completed the socketio handshake"
            ) == true
        )
        #expect(!diagnosis.findings.contains { $0.report.check == "placement" })
        #expect(probe.plans.count == 1)
    }
}
