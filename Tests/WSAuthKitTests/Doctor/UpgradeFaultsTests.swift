import Testing

@testable import WSAuthKit

@Suite struct UpgradeFaultsTests {
    func runner(_ url: String, _ probe: FakeProbe, app: String? = nil) -> DoctorRunner {
        var runner = DoctorRunner(
            base: HandshakePlan(url: try! WebSocketURL.parse(url)),
            token: nil,
            presentation: TokenPresentation(),
            session: nil,
            probe: probe
        )
        runner.app = app
        return runner
    }

    @Test func wrongPathFindsTheUsualOneAlone() {
        let probe = FakeProbe { $0.url.path == "/socket.io/" ? FakeProbe.accepted($0) : FakeProbe.rejected($0, 404) }
        let diagnosis = runner("ws://127.0.0.1:9/wrong?EIO=4&transport=websocket", probe, app: "socketio").run()
        let upgrade = diagnosis.findings.first { $0.report.check == "upgrade" }
        #expect(upgrade?.blocking == .handshakeFailed)
        #expect(upgrade?.report.fix == "use ws://127.0.0.1:9/socket.io/?EIO=4&transport=websocket")
        #expect(diagnosis.exitStatus == .handshakeFailed)
        // The first handshake, the Origin retry, then /socket.io/.
        #expect(probe.plans.map(\.url.path) == ["/wrong", "/wrong", "/socket.io/"])
    }

    @Test func withoutAppTheGenericPathsAreTried() {
        #expect(UsualPaths.paths(app: nil) == ["/ws", "/websocket"])
        let probe = FakeProbe { $0.url.path == "/websocket" ? FakeProbe.accepted($0) : FakeProbe.rejected($0, 404) }
        let found = PathSearch(
            plan: HandshakePlan(url: try! WebSocketURL.parse("ws://h:1/")),
            base: try! WebSocketURL.parse("ws://h:1/"),
            app: nil
        ).run(probe)
        #expect(found?.report.fix == "use ws://h:1/websocket")
        // The path the URL already has is not tried again.
        #expect(
            PathSearch(
                plan: HandshakePlan(url: try! WebSocketURL.parse("ws://h:1/websocket")),
                base: try! WebSocketURL.parse("ws://h:1/websocket"),
                app: nil
            )
            .run(FakeProbe { FakeProbe.rejected($0, 404) }) == nil
        )
    }

    @Test func noUsualPathUpgradesKeepsThe404Finding() {
        let probe = FakeProbe { FakeProbe.rejected($0, 404) }
        let upgrade = runner("ws://h:1/nope", probe).run().findings.first { $0.report.check == "upgrade" }
        #expect(upgrade?.report.detail.contains("no WebSocket endpoint at /nope") == true)
        #expect(upgrade?.report.fix?.hasPrefix("check the path") == true)
    }

    /// Rails' Action Cable answers a missing Origin with 404 (allow_request_origin?).
    @Test func originAnsweredWith404IsFoundLike403() {
        let probe = FakeProbe {
            $0.origin == "http://127.0.0.1:3000" ? FakeProbe.accepted($0) : FakeProbe.rejected($0, 404)
        }
        let diagnosis = runner("ws://127.0.0.1:3000/cable", probe).run()
        let upgrade = diagnosis.findings.first { $0.report.check == "upgrade" }
        #expect(upgrade?.report.fix == "add `--origin http://127.0.0.1:3000`")
        #expect(upgrade?.report.detail.hasPrefix("the server answered 404 without an Origin header") == true)
        #expect(diagnosis.exitStatus == .authRejected)
    }

    @Test func anOriginFixStopsTheSearchesThatMoveCredentials() {
        let probe = FakeProbe { $0.origin != nil ? FakeProbe.accepted($0) : FakeProbe.rejected($0, 403) }
        var withToken = runner("ws://127.0.0.1:3000/cable", probe)
        withToken.token = Secret("t")
        let diagnosis = withToken.run()
        #expect(diagnosis.findings.first { $0.report.check == "upgrade" }?.wantsOrigin == true)
        // No consistency repeats and no placement search: the first handshake and the Origin retry only.
        #expect(probe.plans.count == 2)
        #expect(!diagnosis.findings.contains { $0.report.check == "placement" || $0.report.check == "consistency" })
    }

    @Test func redirectToHTTPSBecomesWSS() {
        let probe = FakeProbe {
            FakeProbe.rejected($0, 301, headers: [HTTPHeader(name: "Location", value: "https://example.com:8443/ws")])
        }
        let upgrade = runner("ws://example.com/ws", probe).run().findings.first { $0.report.check == "upgrade" }
        #expect(upgrade?.report.fix == "use wss://example.com:8443/ws")
        #expect(upgrade?.report.detail.contains("301") == true && upgrade?.blocking == .handshakeFailed)
        // Never followed: one handshake, to the URL given.
        #expect(probe.plans.count == 1)
    }

    @Test func relativeRedirectKeepsSchemeAndHost() {
        #expect(RedirectTarget.webSocketURL("/v2/ws", from: "wss://h:9/ws?x=1") == "wss://h:9/v2/ws")
        #expect(RedirectTarget.webSocketURL("http://h/x", from: "wss://h/ws") == "ws://h/x")
        #expect(RedirectTarget.webSocketURL("//other/x", from: "ws://h/ws") == nil)
    }
}

@Suite struct IdleCheckTests {
    @Test func aDropBeforeExpiryIsAWarningWithAShorterPingInterval() {
        let found = IdleCheck.judge(
            .dropped(afterSeconds: 3.02, closeCode: nil),
            held: TimeSpan(seconds: 8),
            asked: TimeSpan(seconds: 8)
        )
        #expect(found?.report.severity == .warn && found?.blocking == nil)
        #expect(found?.report.detail.contains("after 3s, without a close frame") == true)
        #expect(found?.report.detail.contains("proxy_read_timeout") == true)
        #expect(found?.report.fix?.hasPrefix("add `--ping-interval 1s`") == true)
    }

    @Test func sixtySecondsIsNamedAsTheCommonDefault() {
        let found = IdleCheck.judge(
            .dropped(afterSeconds: 60.4, closeCode: 1001),
            held: TimeSpan(seconds: 90),
            asked: TimeSpan(seconds: 90)
        )
        #expect(found?.report.detail.contains("after 1m0s, with close 1001") == true)
        #expect(found?.report.detail.contains("AWS load balancer") == true)
        #expect(found?.report.fix?.hasPrefix("add `--ping-interval 30s`") == true)
    }

    @Test func theHoldStopsBeforeTheTokenExpires() {
        #expect(IdleCheck.span(idle: TimeSpan(seconds: 60), tokenExpiresIn: 11) == TimeSpan(seconds: 10))
        #expect(IdleCheck.span(idle: TimeSpan(seconds: 8), tokenExpiresIn: nil) == TimeSpan(seconds: 8))
        let found = IdleCheck.judge(.stayedOpen, held: TimeSpan(seconds: 10), asked: TimeSpan(seconds: 60))
        #expect(found?.report.severity == .ok && found?.report.detail.contains("cut short") == true)
    }

    @Test func runnerHoldsOnlyAWorkingConnectionAndExitsZero() {
        let probe = FakeProbe(accepts: { _ in true })
        probe.holding = .held(opened: 10, ending: .closed(code: 1006, reason: ""), ended: 13)
        var runner = DoctorRunner(
            base: HandshakePlan(url: try! WebSocketURL.parse("ws://h:1/ws")),
            token: nil,
            presentation: TokenPresentation(),
            session: nil,
            probe: probe
        )
        runner.idle = TimeSpan(seconds: 8)
        runner.pingInterval = TimeSpan(seconds: 1)
        let diagnosis = runner.run()
        #expect(diagnosis.exitStatus == .success)
        #expect(diagnosis.findings.first { $0.report.check == "idle" }?.report.severity == .warn)
        #expect(
            probe.held.count == 1 && probe.held[0].span == TimeSpan(seconds: 8)
                && probe.held[0].pingEvery == TimeSpan(seconds: 1)
        )

        let refused = FakeProbe(accepts: { _ in false })
        var failing = DoctorRunner(
            base: runner.base,
            token: nil,
            presentation: TokenPresentation(),
            session: nil,
            probe: refused
        )
        failing.idle = TimeSpan(seconds: 8)
        _ = failing.run()
        #expect(refused.held.isEmpty)
    }
}
