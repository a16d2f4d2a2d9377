import HummingbirdWebSocket
import NIOWebSocket

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `/socket.io/?EIO=4&transport=websocket`: a small Engine.IO v4 / Socket.IO v5 server
/// for the Socket.IO story of `serve` and `demo`. The token comes in CONNECT's
/// `auth.token` (checked like /ws's), a `welcome` event greets the user, events are echoed back as `["echo", …]` and ACKs
/// answered with the same arguments; at the token's expiry the server sends
/// DISCONNECT (`41`), the Socket.IO counterpart of /ws's 4001; a logout or revocation
/// of the token's session sends `41` and closes with 4003, as /ws does. A socket that
/// is not admitted by a CONNECT within `connectTimeout` is closed with 4401, as
/// Socket.IO servers drop one after their `connectTimeout`.
struct SocketIOSocket: Sendable {
    static let path = "/socket.io/"
    /// Engine.IO v4 heartbeat: the server pings, the client must pong within pingTimeout.
    static let pingInterval = Duration.seconds(25)
    static let pingTimeout = Duration.seconds(20)

    let authenticator: HandshakeAuthenticator
    let registry: SocketRegistry
    let counters: CounterBoard
    let log: ServerLog
    let closeOnExpiry: Bool
    let connectTimeout: Duration

    private enum Event: Sendable {
        case connected(Admission)
        case connectDeadline
        case expired
        case pingDue
        case lingered
        case close(SocketClose)
        case peerGone
    }

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        counters.add(\.openSockets)
        defer { counters.add(\.openSockets, -1) }
        let (events, emit) = AsyncStream.makeStream(of: Event.self)
        let registration = registry.register { reason in emit.yield(.close(reason)) }
        defer { registry.unregister(registration) }
        let open: JSONValue = .object([
            "sid": .string(RandomToken.make(bytes: 12)), "upgrades": .array([]),
            "pingInterval": .number(Self.milliseconds(Self.pingInterval)),
            "pingTimeout": .number(Self.milliseconds(Self.pingTimeout)),
            "maxPayload": .number(Double(EchoSocket.maxMessageSize)),
        ])
        try? await outbound.write(.text(SocketIOFrame.encode("0", "/", open)))
        let pong = Heartbeat()
        var watch: SessionWatch?
        defer { watch?.detach() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await converse(inbound: inbound, outbound: outbound, pong: pong, emit: emit)
                emit.yield(.peerGone)
            }
            group.addTask {
                try? await Task.sleep(for: connectTimeout)
                if !Task.isCancelled { emit.yield(.connectDeadline) }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.pingInterval)
                    emit.yield(.pingDue)
                }
            }
            for await event in events {
                switch event {
                case .connected(let admission):
                    watch = arm(admission, group: &group, emit: emit)
                    continue
                case .connectDeadline:
                    if watch != nil { continue }
                    log("socket.io: no accepted CONNECT within \(connectTimeout); closing")
                    let close = SocketClose.connectTimeout
                    try? await outbound.close(.init(codeNumber: Int(close.code)), reason: close.reason)
                case .pingDue:
                    if pong.missed(within: Self.pingInterval + Self.pingTimeout) {
                        log("socket.io ping timeout")
                    } else {
                        pong.sent()
                        try? await outbound.write(.text("2"))
                        continue
                    }
                case .expired:
                    counters.add(\.closedTokenExpired)
                    log("socket.io DISCONNECT: token expired")
                    try? await outbound.write(.text("41"))
                    // Let the client close the socket once it has read the DISCONNECT,
                    // as Socket.IO servers do; one that does not is closed like /ws's 4001.
                    group.addTask {
                        try? await Task.sleep(for: EchoSocket.closeHandshakeTimeout)
                        if !Task.isCancelled { emit.yield(.lingered) }
                    }
                    continue
                case .lingered:
                    try? await outbound.close(
                        .init(codeNumber: Int(SocketClose.tokenExpired.code)),
                        reason: SocketClose.tokenExpired.reason
                    )
                case .close(let reason):
                    if reason == .sessionRevoked {
                        counters.add(\.closedSessionRevoked)
                        log("socket.io DISCONNECT: session revoked")
                    }
                    try? await outbound.write(.text("41"))
                    try? await outbound.close(.init(codeNumber: Int(reason.code)), reason: reason.reason)
                case .peerGone:
                    break
                }
                emit.finish()
            }
            group.cancelAll()
        }
    }

    private func converse(
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        pong: Heartbeat,
        emit: AsyncStream<Event>.Continuation
    ) async {
        var connected = false
        do {
            for try await message in inbound.messages(maxSize: EchoSocket.maxMessageSize) {
                guard case .text(let text) = message else { continue }
                switch SocketIOFrame(text) {
                case .pong: pong.answered()
                case .ping: try await outbound.write(.text("3"))
                case .close: return
                case .connect(let namespace, let token):
                    guard !connected else { continue }
                    let reply = connect(namespace: namespace, token: token)
                    try await outbound.write(.text(reply.frame))
                    if let admission = reply.admission {
                        connected = true
                        let welcome: JSONValue = .array([
                            .string("welcome"), .object(["user": .string(admission.subject)]),
                        ])
                        try await outbound.write(.text(SocketIOFrame.encode("42", namespace, welcome)))
                        emit.yield(.connected(admission))
                    }
                case .disconnect: return
                case .event(let namespace, let ackID, let arguments) where connected:
                    try await outbound.write(
                        .text(SocketIOFrame.encode("42", namespace, .array([.string("echo")] + arguments)))
                    )
                    if let ackID {
                        try await outbound.write(
                            .text(SocketIOFrame.encode("43\(ackID)", namespace, .array(Array(arguments.dropFirst()))))
                        )
                    }
                case .event, .other: continue
                }
            }
        } catch {
            // The peer broke the protocol or vanished; the framework closes the socket.
        }
    }

    /// CONNECT's answer: `40{"sid"}` with the admission, or `44{"message"}`.
    private func connect(namespace: String, token: String?) -> (frame: String, admission: Admission?) {
        guard namespace == "/" else {
            return (SocketIOFrame.encode("44", namespace, Self.message("Invalid namespace")), nil)
        }
        guard let token else {
            log("socket.io CONNECT refused: no auth.token")
            return (
                SocketIOFrame.encode("44", namespace, Self.message("no token: send CONNECT with auth {\"token\": …}")),
                nil
            )
        }
        switch authenticator.admit(accessToken: token, placement: .message) {
        case .success(let admission):
            log("socket.io CONNECT \(admission.subject)")
            return (
                SocketIOFrame.encode("40", namespace, .object(["sid": .string(RandomToken.make(bytes: 12))])), admission
            )
        case .failure(let rejection):
            log("socket.io CONNECT refused: \(rejection.description)")
            return (SocketIOFrame.encode("44", namespace, Self.message(rejection.description)), nil)
        }
    }

    /// The admitted session's end: a timer for the token's expiry, and the session
    /// store's hook for a logout or revocation (`41`, then close 4003).
    private func arm(
        _ admission: Admission,
        group: inout TaskGroup<Void>,
        emit: AsyncStream<Event>.Continuation
    ) -> SessionWatch {
        if closeOnExpiry, let expiry = admission.expiry {
            group.addTask {
                let remaining = expiry.timeIntervalSinceNow
                if remaining > 0 { try? await Task.sleep(for: .milliseconds(Int64((remaining * 1000).rounded(.up)))) }
                if !Task.isCancelled { emit.yield(.expired) }
            }
        }
        let sessions = authenticator.auth.sessions
        let key = sessions.attachSocket(to: admission.sessionID) { reason in emit.yield(.close(reason)) }
        if key == nil { emit.yield(.close(.sessionRevoked)) }
        return SessionWatch(sessions: sessions, sessionID: admission.sessionID, key: key, subject: admission.subject)
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds * 1000)
    }

    private static func message(_ text: String) -> JSONValue { .object(["message": .string(text)]) }
}
