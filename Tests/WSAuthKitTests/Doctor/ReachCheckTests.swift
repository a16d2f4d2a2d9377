import Testing
@testable import WSAuthKit

@Suite struct ReachCheckTests {
    let url = try! WebSocketURL.parse("wss://api.example.com/ws")

    func finding(_ kind: FailureKind, _ message: String) -> DoctorFinding {
        ReachCheck.diagnose(Failure(kind, message), url: url)
    }

    // The messages are libcurl's (CURLE_PEER_FAILED_VERIFICATION with OpenSSL's verify error).
    @Test func expiredCertificateSaysRenew() {
        let found = finding(.tls, "TLS failure: SSL certificate problem: certificate has expired; pass --cacert FILE")
        #expect(found.blocking == .networkFailure && found.report.detail.contains("expired"))
        #expect(found.report.fix?.contains("renew") == true)
    }

    @Test func wrongHostSaysTheRightHost() {
        let found = finding(.tls, "TLS failure: SSL: no alternative certificate subject name matches target host name 'api.example.com'")
        #expect(found.report.detail.contains("not for api.example.com"))
        #expect(found.report.fix?.contains("subjectAltName") == true)
    }

    @Test func untrustedChainSaysCacert() {
        for text in ["SSL certificate problem: unable to get local issuer certificate",
                     "SSL certificate problem: self-signed certificate in certificate chain"] {
            #expect(finding(.tls, "TLS failure: \(text)").report.fix?.contains("--cacert") == true)
        }
    }

    @Test func dnsAndRefusedAreNetworkFailures() {
        let dns = finding(.network, "could not resolve host: Could not resolve host: api.example.com")
        #expect(dns.report.detail.hasPrefix("DNS") && dns.report.fix?.contains("--resolve api.example.com:443:") == true)
        let refused = finding(.network, "connection failed: Failed to connect to api.example.com port 443: Connection refused")
        #expect(refused.report.detail.hasPrefix("TCP") && refused.blocking == .networkFailure)
    }

    @Test func brokenHandshakeIsAnUpgradeFinding() {
        let found = finding(.handshake, "handshake failed: wrong Sec-WebSocket-Accept")
        #expect(found.report.check == "upgrade" && found.blocking == .handshakeFailed)
    }
}
