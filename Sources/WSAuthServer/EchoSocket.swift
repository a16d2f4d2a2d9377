import HummingbirdWebSocket
import NIOWebSocket

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `/ws` conversation after the handshake: echo text and binary, answer
/// `{"op":"whoami"}`, take a first-message credential on `/ws?auth=message`, and close
/// the socket when its token expires (4001) or its session is revoked (4003).
///
/// One task reads and answers messages, so a client that stops reading stalls only
/// itself (TCP back-pressure, nothing buffered here); this task watches the clock
/// and the session and sends the close.
struct EchoSocket: Sendable {
    let authenticator: HandshakeAuthenticator
    let registry: SocketRegistry
    let counters: CounterBoard
    let log: ServerLog
    let closeOnExpiry: Bool
    let authMessageTimeout: Duration

    /// Largest message echoed; bigger ones are closed with 1009 by the framework.
    static let maxMessageSize = 1 << 20
    /// How long to wait for the client's answer to our close frame (RFC 6455 §7.1.1).
    static let closeHandshakeTimeout = Duration.seconds(5)

    private enum Event: Sendable {
        case authenticated(Admission)
        case authDeadline
        case close(SocketClose)
        case peerGone
        case closeHandshakeTimedOut
    }

    private struct AuthMessage: Decodable {
        let type: String
        let token: String
    }

    private struct WhoAmI: Encodable {
        let op = "whoami"
        let sub: String
        let exp: Int?
        let placement: TokenPlacement
    }

    func run(admission: Admission?, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        counters.add(\.openSockets)
        defer { counters.add(\.openSockets, -1) }
        let (events, emit) = AsyncStream.makeStream(of: Event.self)
        let registration = registry.register { reason in emit.yield(.close(reason)) }
        defer { registry.unregister(registration) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await converse(admission: admission, inbound: inbound, outbound: outbound, emit: emit)
                emit.yield(.peerGone)
            }
            var watch: SessionWatch?
            if let admission {
                watch = arm(admission, group: &group, emit: emit)
            } else {
                group.addTask {
                    try? await Task.sleep(for: authMessageTimeout)
                    if !Task.isCancelled { emit.yield(.authDeadline) }
                }
            }
            var closing = false
            for await event in events {
                let reason: SocketClose
                switch event {
                case .authenticated(let admission):
                    if watch == nil, !closing { watch = arm(admission, group: &group, emit: emit) }
                    continue
                case .authDeadline where watch == nil:
                    reason = .authTimeout
                case .close(let requested):
                    reason = requested
                case .authDeadline:
                    continue
                case .peerGone, .closeHandshakeTimedOut:
                    emit.finish()
                    continue
                }
                guard !closing else { continue }
                closing = true
                await close(reason, subject: watch?.subject, outbound: outbound)
                group.addTask {
                    try? await Task.sleep(for: Self.closeHandshakeTimeout)
                    if !Task.isCancelled { emit.yield(.closeHandshakeTimedOut) }
                }
            }
            watch?.detach()
            group.cancelAll()
        }
    }

    /// Reads until the peer closes: the first message authenticates when the
    /// handshake did not, every later one is echoed.
    private func converse(
        admission: Admission?,
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        emit: AsyncStream<Event>.Continuation
    ) async {
        var admission = admission
        do {
            for try await message in inbound.messages(maxSize: Self.maxMessageSize) {
                guard let current = admission else {
                    switch authenticate(message) {
                    case .success(let established):
                        admission = established
                        emit.yield(.authenticated(established))
                    case .failure(let reason):
                        emit.yield(.close(reason))
                        return
                    }
                    continue
                }
                switch message {
                case .text(let text):
                    if isWhoAmI(text) {
                        let answer = WhoAmI(
                            sub: current.subject,
                            exp: current.expiry.map { Int($0.timeIntervalSince1970) },
                            placement: current.placement
                        )
                        try await outbound.write(.text(String(buffer: JSONResponse.encode(answer))))
                    } else {
                        try await outbound.write(.text(text))
                    }
                case .binary(let bytes):
                    try await outbound.write(.binary(bytes))
                }
            }
        } catch {
            // The peer broke the protocol or vanished; the framework closes the socket.
        }
    }

    private func authenticate(_ message: WebSocketMessage) -> Result<Admission, SocketClose> {
        guard case .text(let text) = message,
            let auth = try? JSONDecoder().decode(AuthMessage.self, from: Data(text.utf8)),
            auth.type == "auth"
        else {
            return .failure(.invalidAuthMessage(#"expected {"type":"auth","token":"…"} as the first message"#))
        }
        return authenticator.admit(accessToken: auth.token, placement: .message).mapError { rejection in
            .invalidAuthMessage(rejection.description)
        }
    }

    private func isWhoAmI(_ text: String) -> Bool {
        struct Operation: Decodable { let op: String }
        return (try? JSONDecoder().decode(Operation.self, from: Data(text.utf8)))?.op == "whoami"
    }

    /// Starts watching an authenticated socket: a timer for its token's expiry, and a
    /// hook that the session store calls on revocation.
    private func arm(
        _ admission: Admission,
        group: inout TaskGroup<Void>,
        emit: AsyncStream<Event>.Continuation
    ) -> SessionWatch {
        log("ws open \(admission.subject) via \(admission.placement.rawValue)\(expiryNote(admission))")
        if closeOnExpiry, let expiry = admission.expiry {
            group.addTask {
                let remaining = expiry.timeIntervalSinceNow
                if remaining > 0 { try? await Task.sleep(for: .milliseconds(Int64((remaining * 1000).rounded(.up)))) }
                if !Task.isCancelled { emit.yield(.close(.tokenExpired)) }
            }
        }
        let sessions = authenticator.auth.sessions
        let key = sessions.attachSocket(to: admission.sessionID) { reason in emit.yield(.close(reason)) }
        if key == nil { emit.yield(.close(.sessionRevoked)) }
        return SessionWatch(sessions: sessions, sessionID: admission.sessionID, key: key, subject: admission.subject)
    }

    private func close(_ reason: SocketClose, subject: String?, outbound: WebSocketOutboundWriter) async {
        switch reason {
        case .tokenExpired: counters.add(\.closedTokenExpired)
        case .sessionRevoked: counters.add(\.closedSessionRevoked)
        case .invalidAuthMessage, .authTimeout, .connectTimeout, .serverShutdown: break
        }
        log("ws close \(reason.code) \(reason.reason)\(subject.map { " (\($0))" } ?? "")")
        try? await outbound.close(.init(codeNumber: Int(reason.code)), reason: reason.reason)
    }

    private func expiryNote(_ admission: Admission) -> String {
        guard let expiry = admission.expiry else { return " (session; closes on logout)" }
        let seconds = Int(expiry.timeIntervalSinceNow.rounded())
        let when = seconds >= 0 ? "expires in \(seconds)s" : "expired \(-seconds)s ago"
        return closeOnExpiry ? " (token \(when); closes then with 4001)" : " (token \(when); --no-expiry-close)"
    }
}
