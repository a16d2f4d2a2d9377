import Testing

@testable import WSAuthKit

/// Doctor's exit line, the doctor hint and audit's stop read a failure's cause, never its
/// message: rewording a message must not change a diagnosis (issue 25 §2).
@Suite struct CauseNotTextTests {
    static let reworded = [
        "TLS handshake failed", "upgrade answer", "handshake rejected: HTTP 401", "", "connection refused",
    ]

    @Test(arguments: reworded)
    func aTLSFindingSaysTLSWhateverTheMessage(message: String) {
        let url = try! WebSocketURL.parse("wss://127.0.0.1:9/ws")
        let tls = ReachCheck.diagnose(Failure(.network, message, cause: .tls(.untrustedChain)), url: url)
        #expect(tls.failure.kind == .tls && tls.failure.exitStatus == .networkFailure)
        let refused = ReachCheck.diagnose(Failure(.tls, message, cause: .connectionRefused), url: url)
        #expect(refused.failure.kind == .network && refused.failure.exitStatus == .networkFailure)
    }

    @Test(arguments: reworded)
    func theDoctorHintFollowsTheCause(message: String) {
        #expect(Failure(.handshake, message, cause: .handshakeRefused(status: 404)).explainedByDoctor)
        #expect(Failure(.auth, message, cause: .appRefused).explainedByDoctor)
        #expect(!Failure(.auth, message).explainedByDoctor)
        #expect(!Failure(.network, message, cause: .noAnswer(.upgradeAnswer)).explainedByDoctor)
    }

    @Test func aRefusalFromTheVerdictCarriesItsStatus() {
        let rejection = RejectionReport(
            url: "ws://h/ws",
            status: 403,
            statusLine: "HTTP/1.1 403 Forbidden",
            headers: [],
            body: "",
            wwwAuthenticate: nil
        )
        #expect(SessionVerdict.failure(for: rejection, tokenGiven: true).cause == .handshakeRefused(status: 403))
    }

    @Test(arguments: reworded)
    func anUnjudgedAuditHandshakeKeepsItsCause(message: String) {
        let outcome = ProbeOutcome.failed(Failure(.timeout, message, cause: .noAnswer(.tlsHello)))
        #expect(outcome.admission == .unjudged && outcome.unjudgedFailure?.cause == .noAnswer(.tlsHello))
        #expect(AuditRules.mustRefuse(outcome, "x").verdict == .skip)
    }
}
