@testable import WSAuthKit

extension HandshakeReport {
    /// A plain 101 to `url`, for the tests that only need "the upgrade was answered".
    static func switched(url: String, requestLine: String = "GET / HTTP/1.1") -> HandshakeReport {
        HandshakeReport(
            url: url,
            status: 101,
            requestLine: requestLine,
            requestHeaders: [],
            statusLine: "HTTP/1.1 101 Switching Protocols",
            responseHeaders: [],
            subprotocol: nil,
            extensions: [],
            timings: Timings(),
            serverSkewMs: nil,
            tokenPlacement: nil
        )
    }
}
