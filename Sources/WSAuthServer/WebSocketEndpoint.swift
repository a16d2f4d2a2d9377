import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// `GET /ws`: the upgrade decision (admit, wait for an auth message, or refuse with a
/// 401/403 that says why), and the answer to a plain GET that did not ask to upgrade.
struct WebSocketEndpoint: Sendable {
    static let path = "/ws"

    let authenticator: HandshakeAuthenticator
    let socket: EchoSocket
    let socketIO: SocketIOSocket
    let counters: CounterBoard
    let log: ServerLog

    /// Called by HummingbirdWebSocket for every request that asks to upgrade.
    func shouldUpgrade(
        _ head: HTTPRequest,
        channel: any Channel
    ) async
        -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>>
    {
        let request = Request(head: head, body: .init(buffer: ByteBuffer()))
        if request.uri.path == SocketIOSocket.path {
            return upgradeSocketIO(request)
        }
        let decision: HandshakeDecision =
            request.uri.path == Self.path ? authenticator.decide(request) : .reject(.notFound(path: request.uri.path))
        let line = "GET \(ServerLog.redactedTarget(of: request)) (upgrade)"
        let credentials = ServerLog.credentialSummary(of: request.headers)
        let suffix = credentials.isEmpty ? "" : " [\(credentials)]"
        let admission: Admission?
        switch decision {
        case .reject(let rejection):
            counters.add(\.handshakesRejected)
            log("\(line) → \(rejection.status.code) \(rejection.code): \(rejection.description)\(suffix)")
            await rejection.send(on: channel)
            return .dontUpgrade
        case .admit(let admitted):
            admission = admitted
        case .awaitAuthMessage:
            admission = nil
        }
        counters.add(\.handshakesAccepted)
        let subprotocol = Subprotocols.select(from: request.headers)
        log("\(line) → 101\(subprotocol.map { " protocol \($0)" } ?? "")\(suffix)")
        var headers: HTTPFields = [:]
        headers[.date] = HTTPDate.now()
        if let subprotocol { headers[.secWebSocketProtocol] = subprotocol }
        return .upgrade(headers) { [socket] inbound, outbound, _ in
            await socket.run(admission: admission, inbound: inbound, outbound: outbound)
        }
    }

    /// Socket.IO carries its credential in CONNECT's `auth`, so the handshake only
    /// needs `EIO=4&transport=websocket` (no HTTP long-polling here).
    private func upgradeSocketIO(
        _ request: Request
    )
        -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>>
    {
        let line = "GET \(ServerLog.redactedTarget(of: request)) (upgrade)"
        guard request.uri.queryParameters["EIO"] == "4", request.uri.queryParameters["transport"] == "websocket" else {
            counters.add(\.handshakesRejected)
            log("\(line) → refused: only EIO=4&transport=websocket is served")
            return .dontUpgrade
        }
        counters.add(\.handshakesAccepted)
        log("\(line) → 101 (Socket.IO)")
        return .upgrade([.date: HTTPDate.now()]) { [socketIO] inbound, outbound, _ in
            await socketIO.run(inbound: inbound, outbound: outbound)
        }
    }

    /// A plain `GET /ws`: the same credential verdict as a handshake would get, else
    /// 426 (RFC 9110 §15.5.22), so that `curl` shows what a WebSocket client would meet.
    func plainGet(_ request: Request) -> Response {
        if case .reject(let rejection) = authenticator.decide(request) {
            return rejection.response
        }
        struct Body: Encodable {
            let error = "upgrade_required"
            let error_description = "this is a WebSocket endpoint: send a WebSocket upgrade (RFC 6455 4.1)"
        }
        return JSONResponse.make(
            Body(),
            status: .upgradeRequired,
            headers: [.upgrade: "websocket", .connection: "Upgrade"]
        )
    }
}
