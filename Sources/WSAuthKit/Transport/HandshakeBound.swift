/// How long opening a WebSocket may wait on the server (docs/waits.md): no network
/// wait is unbounded, and a silent server is named by the step it left unanswered.
public enum HandshakeBound {
    /// probe and connect: TCP, TLS and the answer to the upgrade, unless -m/--timeout
    /// bound the run (`--connect-timeout` bounds TCP and TLS within it, as in curl).
    public static let standard = TimeSpan(seconds: 30)
    /// Each handshake of doctor and audit (HandshakeProbe), TLS included, or -m when shorter.
    public static let probe = TimeSpan(seconds: 15)
    /// The `--app` handshake inside a probing socket, once upgraded (HandshakeProbe).
    public static let appHandshake = TimeSpan(seconds: 5)
    /// The other scheme tried on the same port once a handshake failed: a TLS hello or
    /// a bare upgrade is answered within a round trip or two by a server that speaks it.
    public static let schemeProbe = TimeSpan(seconds: 2)
}

extension Failure {
    /// Exit 5, naming the step that got no answer (docs/reference/exit-codes.md: "no upgrade answer").
    public static func noAnswer(_ step: HandshakeStep, from url: WebSocketURL, within bound: TimeSpan) -> Failure {
        let place = "\(url.host):\(url.effectivePort)"
        let what: String =
            switch step {
            case .connect:
                "the TCP connect to \(place) got no answer within \(bound); check the host and port, and whether a firewall drops the packets"
            case .tlsHello:
                "the TLS hello to \(place) got no answer within \(bound); check that this port speaks TLS (a plain port needs ws://)"
            case .upgradeAnswer:
                "\(place) took the connection but did not answer the upgrade within \(bound); check that this port speaks HTTP (a TLS port needs wss://)"
            }
        return Failure(.timeout, "no answer: \(what)", cause: .noAnswer(step))
    }
}
