/// An application protocol (`--app`) spoken over a `SocketWatch`, for the checks
/// that open a socket of their own — audit's matrix and `--watch-expiry`, doctor's
/// probes: the app-level handshake, then its keepalives answered (Engine.IO's
/// pings) for as long as the check keeps the socket. The protocol stays behind
/// the `AppSession` seam; nothing here knows Socket.IO.
final class AppWatch {
    enum Outcome: Equatable {
        /// The app-level handshake let the credential in (Socket.IO `40{"sid"}`).
        case accepted
        /// The app refused it (CONNECT_ERROR `44`) with the app's message.
        case refused(String)
        /// The server ended the app session on the open socket (Socket.IO `41`) at `time`.
        case serverEnded(reason: String, time: Timestamp)
        /// The WebSocket closed (a close frame, or TCP without one: 1006) at `time`.
        case closed(code: UInt16, reason: String, time: Timestamp)
        /// The server stayed quiet: no answer to the app handshake before the deadline.
        case silent
        /// The protocol's own keepalive deadline passed (a dead peer).
        case timedOut(String)
        /// The peer broke the application protocol.
        case violation(String)
        /// After the handshake: the deadline came and the session is still up.
        case stillOpen
    }

    let watch: SocketWatch
    private var app: any AppSession
    var name: String { app.name }

    /// What the protocol reads in a close code (graphql-ws: 4401/4403 refuse).
    func closeVerdict(code: UInt16, reason: String) -> AppCloseVerdict? {
        app.closeVerdict(code: code, reason: reason)
    }

    /// The app's HTTP step (Pusher's channel authorization) with the credential this
    /// check presents; nil where none may ride along.
    private let perform: AppHTTPPerformer?

    init(_ watch: SocketWatch, app: any AppSession, perform: AppHTTPPerformer? = nil) {
        self.watch = watch
        self.app = app
        self.perform = perform
    }

    /// Starts the app-level handshake and reads until the app accepts or refuses.
    func handshake(until deadline: Deadline) -> Outcome {
        run(app.start(now: Clock.now()), until: deadline, handshaking: true)
    }

    /// Keeps an accepted session up until `deadline`, answering keepalives, and
    /// says how it ended if it did.
    func stayOpen(until deadline: Deadline) -> Outcome {
        run([], until: deadline, handshaking: false)
    }

    /// Our app-level goodbye (Socket.IO `41`), then the WebSocket close 1000.
    func closeNormally() {
        for case .transmit(.text(let text), _) in app.finish(now: Clock.now()) { watch.send(text: text) }
        watch.closeNormally()
    }

    private func run(_ first: [AppAction], until deadline: Deadline, handshaking: Bool) -> Outcome {
        var actions = first
        while true {
            while !actions.isEmpty {
                let action = actions.removeFirst()
                if case .request(let request) = action {
                    let answer =
                        perform?(request)
                        ?? AppHTTPAnswer(tag: request.tag, .failed("no HTTP request is made for the app here"))
                    actions += app.answered(answer, now: Clock.now())
                    continue
                }
                if let outcome = carryOut(action, handshaking: handshaking) { return outcome }
            }
            let timer = app.nextDeadline.map { Deadline(instant: $0) } ?? .never
            if let message = watch.nextMessage(until: .earliest(deadline, timer)) {
                actions = app.receive(message, now: Clock.now())
                continue
            }
            if case .closed(let code, let reason, let time) = watch.wait(until: .after(seconds: 0)) {
                return .closed(code: code, reason: reason, time: time)
            }
            if deadline.hasPassed { return handshaking ? .silent : .stillOpen }
            actions = app.timerFired(now: Clock.now())
        }
    }

    private func carryOut(_ action: AppAction, handshaking: Bool) -> Outcome? {
        switch action {
        case .transmit(.text(let text), _): watch.send(text: text)
        case .transmit(.binary(let bytes), _): watch.send(binary: bytes)
        case .deliver, .keepalive, .notice, .request, .noReconnect: break
        case .accepted: if handshaking { return .accepted }
        case .rejected(let message): return .refused(message)
        case .serverEnded(let reason):
            return handshaking ? .refused(reason) : .serverEnded(reason: reason, time: Timestamp.now)
        case .serverDisconnected(_, let message, let outcome):
            return handshaking || outcome == .refused
                ? .refused(message) : .serverEnded(reason: message, time: Timestamp.now)
        case .timedOut(let why), .unanswered(let why): return .timedOut(why)
        case .violation(let why), .protocolError(let why): return .violation(why)
        case .closeWebSocket: return .closed(code: CloseCode.normalClosure.rawValue, reason: "", time: Timestamp.now)
        }
        return nil
    }
}
