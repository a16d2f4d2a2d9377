/// The most common mistake of all: `wss://` to a port that speaks plain HTTP, or
/// `ws://` to a TLS port. A handshake that failed the way a wrong scheme fails is
/// tried once more on the same port in the other scheme, bare (no credentials, the
/// path without its query), within a short bound.
public enum SchemeProbe {
    /// Whether the failure is how the other scheme looks: for wss://, a TLS hello
    /// broken off or unanswered; for ws://, an upgrade answered by closing, by bytes
    /// that are not HTTP (a TLS alert), or by nothing.
    public static func suspects(_ failure: Failure, url: WebSocketURL) -> Bool {
        switch failure.cause {
        case .tls(.handshake), .noAnswer(.tlsHello): url.secure
        case .closedWithoutAnswer, .notHTTP, .noAnswer(.upgradeAnswer): !url.secure
        default: false
        }
    }

    /// The same host, port and resource in the other scheme (the port written out:
    /// it is the port that was meant, not the other scheme's default).
    public static func otherScheme(_ url: WebSocketURL) -> WebSocketURL {
        WebSocketURL(secure: !url.secure, host: url.host, port: url.effectivePort, resource: url.resource)
    }

    /// The failure that names the URL to use, once the port answered the other scheme.
    public static func mismatch(_ url: WebSocketURL) -> Failure {
        let other = otherScheme(url).description
        return Failure(.network, "\(detail(url)); use \(other)", cause: .schemeMismatch(use: other))
    }

    /// What was found, for the failure's line and doctor's finding alike.
    public static func detail(_ url: WebSocketURL) -> String {
        let place = "\(url.host):\(url.effectivePort)"
        return url.secure
            ? "wss:// to a port that speaks plain HTTP: \(place) answers a plain upgrade, not the TLS hello"
            : "ws:// to a port that speaks TLS: \(place) answers a TLS hello, not a plain upgrade"
    }

    /// Tries the other scheme; the mismatch when the port speaks it, else nil.
    static func check(_ url: WebSocketURL, transport: TransportOptions, deadline: Deadline) -> Failure? {
        let other = otherScheme(url)
        var bare = TransportOptions()
        (bare.proxy, bare.resolve, bare.caCert) = (transport.proxy, transport.resolve, transport.caCert)
        // Only whether the port speaks TLS at all: the certificate is the next run's business.
        bare.insecure = true
        // Its own short bound: after a TLS hello left unanswered the handshake's has passed.
        let bound = Deadline.earliest(deadline, .after(HandshakeBound.schemeProbe))
        if other.secure {
            return (try? CurlStream(url: other, options: bare, deadline: bound)) == nil ? nil : mismatch(url)
        }
        let plan = HandshakePlan(
            url: WebSocketURL(secure: false, host: other.host, port: other.port, resource: other.path)
        )
        // Any HTTP answer (101, 401, 404 …) shows that the port speaks plain HTTP.
        return
            (try? HandshakeRunner.attempt(
                plan,
                transport: bare,
                maxMessageSize: 1 << 20,
                deadline: bound,
                tokenPlacement: nil
            )) == nil ? nil : mismatch(url)
    }
}
