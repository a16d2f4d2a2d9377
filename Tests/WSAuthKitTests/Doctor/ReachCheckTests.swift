import Testing

@testable import WSAuthKit

@Suite struct ReachCheckTests {
    let url = try! WebSocketURL.parse("wss://api.example.com/ws")

    func finding(_ kind: FailureKind, _ cause: FailureCause, on url: WebSocketURL? = nil) -> DoctorFinding {
        // The message is for people: the checks read the cause, so any text will do.
        ReachCheck.diagnose(Failure(kind, "libcurl's words", cause: cause), url: url ?? self.url)
    }

    @Test func expiredCertificateSaysRenew() {
        let found = finding(.tls, .tls(.expired))
        #expect(found.blocking == .networkFailure && found.report.detail.contains("expired"))
        #expect(found.report.fix?.contains("renew") == true)
        #expect(found.cause == .tls(.expired))
    }

    @Test func wrongHostSaysTheRightHost() {
        let found = finding(.tls, .tls(.wrongHost))
        #expect(found.report.detail.contains("not for api.example.com"))
        #expect(found.report.fix?.contains("subjectAltName") == true)
    }

    @Test func untrustedChainSaysCacert() {
        #expect(finding(.tls, .tls(.untrustedChain)).report.fix?.contains("--cacert") == true)
    }

    @Test func dnsAndRefusedAreNetworkFailures() {
        let dns = finding(.network, .dnsFailed)
        #expect(
            dns.report.detail.hasPrefix("DNS") && dns.report.fix?.contains("--resolve api.example.com:443:") == true
        )
        let refused = finding(.network, .connectionRefused)
        #expect(refused.report.detail.hasPrefix("TCP") && refused.blocking == .networkFailure)
    }

    @Test func brokenHandshakeIsAnUpgradeFinding() {
        let found = finding(.handshake, .badAnswer)
        #expect(found.report.check == "upgrade" && found.blocking == .handshakeFailed)
    }

    @Test func schemeMismatchNamesTheURLToUse() {
        let found = finding(.network, .schemeMismatch(use: "ws://api.example.com:443/ws"))
        #expect(found.report.check == "reach" && found.blocking == .networkFailure)
        #expect(found.report.detail.hasPrefix("wss:// to a port that speaks plain HTTP"))
        #expect(found.report.fix == "use ws://api.example.com:443/ws")
    }

    /// docs/reference/behaviour.md (`wsauth doctor`): "5 when nothing answered in time", with the step that did not answer.
    @Test func unansweredStepsExitFive() {
        let tcp = finding(.timeout, .noAnswer(.connect))
        #expect(tcp.report.check == "reach" && tcp.blocking == .timeout && tcp.report.detail.hasPrefix("TCP"))
        let hello = finding(.timeout, .noAnswer(.tlsHello))
        #expect(
            hello.report.check == "reach" && hello.blocking == .timeout && hello.report.detail.contains("TLS hello")
        )
        let upgrade = finding(
            .timeout,
            .noAnswer(.upgradeAnswer),
            on: try! WebSocketURL.parse("ws://api.example.com/ws")
        )
        #expect(
            upgrade.report.check == "upgrade" && upgrade.blocking == .timeout
                && upgrade.report.detail.contains("neither the upgrade")
        )
    }

    @Test func theMessageIsNeverRead() {
        // A message that reads like a certificate problem does not make one.
        let found = ReachCheck.diagnose(
            Failure(.network, "SSL certificate problem: certificate has expired", cause: .connectionRefused),
            url: url
        )
        #expect(found.report.detail.hasPrefix("TCP"))
    }
}

@Suite struct SchemeProbeTests {
    @Test func suspectsTheOtherSchemeOnlyForItsFailures() {
        let secure = try! WebSocketURL.parse("wss://h:8765/ws")
        let plain = try! WebSocketURL.parse("ws://h:8443/ws")
        #expect(SchemeProbe.suspects(Failure(.tls, "", cause: .tls(.handshake)), url: secure))
        #expect(SchemeProbe.suspects(Failure(.timeout, "", cause: .noAnswer(.tlsHello)), url: secure))
        #expect(!SchemeProbe.suspects(Failure(.tls, "", cause: .tls(.expired)), url: secure))
        #expect(!SchemeProbe.suspects(Failure(.timeout, "", cause: .noAnswer(.connect)), url: secure))
        // A 101 with a wrong accept key came from a server that speaks HTTP.
        #expect(!SchemeProbe.suspects(Failure(.handshake, "", cause: .badAnswer), url: plain))
        for cause in [FailureCause.closedWithoutAnswer, .notHTTP, .noAnswer(.upgradeAnswer)] {
            #expect(SchemeProbe.suspects(Failure(.network, "", cause: cause), url: plain))
            #expect(!SchemeProbe.suspects(Failure(.network, "", cause: cause), url: secure))
        }
        #expect(!SchemeProbe.suspects(Failure(.network, "", cause: .connectionRefused), url: plain))
    }

    @Test func theOtherSchemeKeepsThePortThatWasMeant() {
        #expect(SchemeProbe.otherScheme(try! WebSocketURL.parse("wss://h/ws?x=1")).description == "ws://h:443/ws?x=1")
        #expect(SchemeProbe.otherScheme(try! WebSocketURL.parse("ws://h:8080/")).description == "wss://h:8080/")
        let mismatch = SchemeProbe.mismatch(try! WebSocketURL.parse("wss://h:8765/ws"))
        #expect(mismatch.cause == .schemeMismatch(use: "ws://h:8765/ws") && mismatch.exitStatus == .networkFailure)
        #expect(mismatch.message.hasSuffix("use ws://h:8765/ws"))
    }
}

@Suite struct HandshakeBoundTests {
    /// docs/reference/exit-codes.md, "no upgrade answer": exit 5, saying which step did not answer.
    @Test func anUnansweredStepIsATimeoutNamingTheStep() {
        let url = try! WebSocketURL.parse("wss://h:8765/ws")
        let hello = Failure.noAnswer(.tlsHello, from: url, within: HandshakeBound.standard)
        #expect(hello.exitStatus == .timeout && hello.cause == .noAnswer(.tlsHello))
        #expect(
            hello.message
                == "no answer: the TLS hello to h:8765 got no answer within 30s; check that this port speaks TLS (a plain port needs ws://)"
        )
        #expect(
            Failure.noAnswer(.connect, from: url, within: TimeSpan(seconds: 3)).message.hasPrefix(
                "no answer: the TCP connect to h:8765 got no answer within 3s"
            )
        )
        #expect(HandshakeBound.probe.seconds + HandshakeBound.schemeProbe.seconds < 20)
    }
}
