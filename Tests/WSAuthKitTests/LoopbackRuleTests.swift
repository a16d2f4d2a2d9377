import Testing

@testable import WSAuthKit

/// The one loopback rule (`CleartextWarning.isLoopback`): what the clear-text warning,
/// the plain-ws audit check and `WebSocketURL.isLoopback` all ask.
@Suite struct LoopbackRuleTests {
    @Test(arguments: [
        "localhost", "LOCALHOST", "localhost.", "api.localhost", "127.0.0.1", "127.255.255.254", "127.1.2.3", "::1",
        "[::1]",
    ])
    func staysOnThisMachine(host: String) {
        #expect(CleartextWarning.isLoopback(host))
    }

    @Test(arguments: [
        "127.attacker.example", "127.0.0.1.attacker.example", "127.0.0.1.nip.io", "127.0.0", "127.0.0.1.1",
        "127.256.0.1",
        "127.0.0.0001", "127..0.1", "128.0.0.1", "0.0.0.0", "localhost.attacker.example", "notlocalhost", "::2", "",
    ])
    func isResolvedElsewhere(host: String) {
        #expect(!CleartextWarning.isLoopback(host))
    }

    @Test func theWebSocketURLAndTheWarningAgree() throws {
        let urls = [
            "ws://127.attacker.example/ws", "ws://127.0.0.1:8080/ws", "ws://[::1]/ws", "ws://localhost/ws",
            "ws://api.example/ws",
        ]
        for text in urls {
            let url = try WebSocketURL.parse(text)
            let warned = CleartextWarning.message(url: text, secure: false, host: url.host) != nil
            #expect(url.isLoopback == !warned, "\(text)")
        }
        #expect(try !WebSocketURL.parse("ws://127.attacker.example/ws").isLoopback)
    }
}
