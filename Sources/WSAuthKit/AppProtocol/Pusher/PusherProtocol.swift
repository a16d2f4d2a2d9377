/// The Pusher Channels protocol 7 (Pusher, Laravel Reverb, Soketi) as an
/// `AppSession` (docs/protocols.md, `pusher`).
///
/// The server speaks first: `pusher:connection_established` gives the
/// `socket_id`. Public channels are subscribed at once; a private or presence
/// channel is first authorized by the app (an `AppAction.request`: the driver
/// POSTs `socket_id` and `channel_name` with the credentials of that host), and
/// the answer's `auth` and `channel_data` go into `pusher:subscribe` unchanged.
/// Every channel's `subscription_succeeded` is part of the handshake. A reconnect
/// makes a new session that takes over the previous one's channels (`takeOver`), so
/// each private channel is authorized again for the new `socket_id` with the
/// then-current credentials.
public struct PusherProtocol: AppSession {
    public let name = "pusher"
    public let subprotocols: [String] = []
    /// pusher-js's `activityTimeout` when the server names none (seconds).
    public static let defaultActivityTimeout = 120.0
    /// pusher-js's `pongTimeout`: no answer to our `pusher:ping` within it is a drop.
    public static let pongTimeout = 30.0

    let settings: PusherSettings
    let handshakeTimeout: Double

    enum Phase: Equatable { case connecting, subscribing, open, ended }
    var phase = Phase.connecting
    var socketID: String?
    var activityTimeout = PusherProtocol.defaultActivityTimeout
    var handshakeDeadline: Double?
    /// Silence until then, and a `pusher:ping` goes out.
    var pingDue: Double?
    /// Our `pusher:ping` must be answered (by anything) before then.
    var pongDeadline: Double?
    /// What the session subscribes on every connection: the `--channel`s, then the channels
    /// `/subscribe` added once the server confirmed them, less those `/complete` ended.
    var channels: [PusherChannel]
    /// Channels being authorized, then waiting for `subscription_succeeded`, in order.
    var authorizing: [PusherChannel] = []
    var pending: [PusherChannel] = []
    var subscribed: [PusherChannel] = []
    /// Lines given before the subscriptions are done, sent after them.
    var queuedLines: [String] = []

    public init(_ settings: PusherSettings, handshakeTimeout: Double = PusherSettings.defaultHandshakeTimeout) {
        self.settings = settings
        self.handshakeTimeout = handshakeTimeout
        channels = settings.channels
    }

    /// A reconnect subscribes what the previous connection had, REPL additions included
    /// (docs/protocols.md, `pusher`).
    public mutating func takeOver(from previous: any AppSession) {
        if let previous = previous as? PusherProtocol { channels = previous.channels }
    }

    public var nextDeadline: Double? {
        guard phase != .ended else { return nil }
        return [handshakeDeadline, pongDeadline ?? pingDue].compactMap { $0 }.min()
    }

    public mutating func start(now: Double) -> [AppAction] {
        handshakeDeadline = now + handshakeTimeout
        return []
    }

    public mutating func timerFired(now: Double) -> [AppAction] {
        guard phase != .ended else { return [] }
        if let deadline = handshakeDeadline, now >= deadline {
            let waitingFor =
                phase == .connecting
                ? "pusher:connection_established"
                : "pusher_internal:subscription_succeeded for \(pending.map(\.name).joined(separator: ", "))"
            phase = .ended
            return [.unanswered("no \(waitingFor) within \(JSONValue.format(number: handshakeTimeout)) s")]
        }
        if let deadline = pongDeadline, now >= deadline {
            phase = .ended
            return [.timedOut("no answer to pusher:ping within \(JSONValue.format(number: Self.pongTimeout)) s")]
        }
        if let due = pingDue, now >= due, pongDeadline == nil {
            pongDeadline = now + Self.pongTimeout
            return [
                .transmit(.text(PusherMessage.client("pusher:ping", data: .object([]))), carriesCredential: false),
                .keepalive(AppKeepalive(.ping, .out)),
            ]
        }
        return []
    }

    public mutating func receive(_ payload: MessagePayload, now: Double) -> [AppAction] {
        guard phase != .ended else { return [] }
        let message: PusherMessage
        do throws(PusherMessage.Invalid) {
            guard case .text(let text) = payload else { throw .notAnEvent }
            message = try PusherMessage(text: text)
        } catch {
            phase = .ended
            switch error {
            case .notAnEvent:
                return [
                    .violation(
                        "not a Pusher event: protocol 7 carries one JSON object with an \"event\" "
                            + "per text message"
                    )
                ]
            case .malformed(let why): return [.violation(why)]
            }
        }
        // Any message is activity (pusher-js `Connection#onActivity`): the ping waits again.
        if socketID != nil {
            pingDue = now + activityTimeout
            pongDeadline = nil
        }
        switch message {
        case .established(let id, let timeout):
            guard phase == .connecting else { return [.notice("a second pusher:connection_established")] }
            socketID = id
            if let timeout, timeout > 0 { activityTimeout = timeout }
            pingDue = now + activityTimeout
            guard !channels.isEmpty else { return opened() }
            phase = .subscribing
            let wanted = channels
            return wanted.flatMap { subscribe($0) }
        case .subscribed(let channel):
            guard let index = pending.firstIndex(where: { $0.name == channel }) else {
                return [.notice("pusher_internal:subscription_succeeded for \(channel), which we did not ask for")]
            }
            let confirmed = pending.remove(at: index)
            subscribed.append(confirmed)
            if !channels.contains(confirmed) { channels.append(confirmed) }
            if phase == .subscribing { return pending.isEmpty && authorizing.isEmpty ? opened() : [] }
            return [.notice("subscribed to \(channel)")] + sendQueued()
        case .subscriptionError(let channel, let status, let error):
            let named = channel ?? pending.first?.name ?? "a channel"
            let detail = [status.map { "status \($0)" }, error].compactMap { $0 }.joined(separator: ", ")
            phase = .ended
            return [
                .rejected(
                    message: "the subscription to \(named) was refused: pusher:subscription_error"
                        + (detail.isEmpty ? "" : " (\(detail))")
                )
            ]
        case .error(let code, let text):
            return errored(code: code, text: text)
        case .ping:
            return [
                .keepalive(AppKeepalive(.ping, .in)),
                .transmit(.text(PusherMessage.client("pusher:pong", data: .object([]))), carriesCredential: false),
                .keepalive(AppKeepalive(.pong, .out)),
            ]
        case .pong:
            return [.keepalive(AppKeepalive(.pong, .in))]
        case .event(let event, let channel, let data):
            var fields: [String: JSONValue] = ["name": .string(event)]
            if let channel { fields["channel"] = .string(channel) }
            let label = [channel, event].compactMap { $0 }.joined(separator: " ")
            return [.deliver(AppMessage(text: PusherMessage.text(of: data), label: label, fields: fields))]
        }
    }

    /// `pusher:error` (protocol 7 "Error codes"): 4009 (connection unauthorized) or
    /// a null code while a subscription waits (Reverb's and Pusher's answer to a bad
    /// signature) refuse the credentials; 4000–4099 forbid reconnecting (exit 3);
    /// 4100–4299 ask the client to reconnect.
    private mutating func errored(code: Int?, text: String?) -> [AppAction] {
        let said = "pusher:error" + (code.map { " \($0)" } ?? "") + (text.map { " \($0)" } ?? "")
        let waiting = (pending + authorizing).map(\.name)
        if code == 4009 || (code == nil && !pending.isEmpty) {
            phase = .ended
            let what = waiting.isEmpty ? "the connection" : "the subscription to \(waiting.joined(separator: ", "))"
            return [.rejected(message: "\(what) was refused: \(said)")]
        }
        switch code ?? 0 {
        case 4000..<4100:
            phase = .ended
            return [.noReconnect, .protocolError(said)]
        case 4100..<4300:
            phase = .ended
            return [.serverEnded(reason: said)]
        default:
            return [.notice(said)]
        }
    }

    /// A public channel is subscribed at once; a private or presence one asks the
    /// app first (the form Pusher's client libraries post).
    private mutating func subscribe(_ channel: PusherChannel) -> [AppAction] {
        guard channel.needsAuthorization else {
            pending.append(channel)
            return [.transmit(.text(PusherMessage.subscribe(channel.name)), carriesCredential: false)]
        }
        guard let url = settings.authURL, let socketID else {
            return [
                .notice(
                    "not subscribed to \(channel.name): a private or presence channel needs "
                        + "--channel-auth-url"
                )
            ]
        }
        authorizing.append(channel)
        let body = URLEncoding.form([("socket_id", socketID), ("channel_name", channel.name)])
        return [
            .request(
                AppHTTPRequest(
                    tag: channel.name,
                    method: "POST",
                    url: url,
                    headers: [
                        HTTPHeader(name: "Content-Type", value: "application/x-www-form-urlencoded"),
                        HTTPHeader(name: "Accept", value: "application/json"),
                    ],
                    body: Array(body.utf8)
                )
            )
        ]
    }

    public mutating func answered(_ answer: AppHTTPAnswer, now: Double) -> [AppAction] {
        guard phase != .ended, let index = authorizing.firstIndex(where: { $0.name == answer.tag }) else { return [] }
        let channel = authorizing.remove(at: index)
        let url = settings.authURL ?? ""
        switch answer.outcome {
        case .failed(let why):
            phase = .ended
            return [.timedOut("the authorization of \(channel.name) at \(url) got no answer: \(why)")]
        case .response(let status, _, let body):
            if status == 401 || status == 403 {
                phase = .ended
                let said = "the authorization of \(channel.name) was refused: \(url) answered \(status)"
                return [.rejected(message: said)]
            }
            guard (200..<300).contains(status) else {
                phase = .ended
                return [.protocolError("the authorization of \(channel.name) failed: \(url) answered \(status)")]
            }
            guard let value = try? JSONValue.parse(body), let auth = value["auth"], auth.stringValue != nil else {
                phase = .ended
                let said = "the authorization of \(channel.name): \(url) answered \(status) without an \"auth\" string"
                return [.protocolError(said)]
            }
            var authorization = [("auth", auth)]
            if let data = value["channel_data"] { authorization.append(("channel_data", data)) }
            pending.append(channel)
            let subscribe = PusherMessage.subscribe(channel.name, authorization: authorization)
            return [.transmit(.text(subscribe), carriesCredential: false)]
        }
    }

    /// The handshake is over: accepted, and what waited for it goes out.
    private mutating func opened() -> [AppAction] {
        phase = .open
        handshakeDeadline = nil
        var details: [(name: String, value: String)] = [(name: "socket_id", value: socketID ?? "")]
        if !channels.isEmpty {
            details.append((name: "subscribed", value: channels.map(\.name).joined(separator: ", ")))
        }
        return [.accepted(AppHandshake(app: name, details: details))] + sendQueued()
    }

    private mutating func sendQueued() -> [AppAction] {
        defer { queuedLines = [] }
        return queuedLines.flatMap { sendNow($0) }
    }

    public mutating func send(_ line: String, now: Double) -> [AppAction] {
        switch phase {
        case .ended:
            return [.notice("not sent: the Pusher session has ended")]
        case .connecting, .subscribing:
            queuedLines.append(line)
            return []
        case .open:
            if subscribed.isEmpty, !(pending + authorizing).isEmpty {
                queuedLines.append(line)
                return []
            }
            return sendNow(line)
        }
    }

    /// A JSON object goes as it is: a client event (`client-…` on a private or
    /// presence channel) or any protocol message the person writes.
    private func sendNow(_ line: String) -> [AppAction] {
        let text = String(line.trimmingSpaces())
        guard let value = try? JSONValue.parse(text), value.objectMembers != nil else {
            return [
                .notice(
                    "not sent: a line is sent as a JSON object, like "
                        + #"{"event":"client-typing","channel":"private-chat","data":{}}"#
                )
            ]
        }
        return [.transmit(.text(text), carriesCredential: false)]
    }

    public mutating func command(_ command: AppCommand, now: Double) -> [AppAction] {
        guard phase == .open else { return [.notice("\(command.name): the Pusher session is not open")] }
        let channel: PusherChannel
        do {
            switch command {
            case .subscribe(let argument), .complete(let argument): channel = try PusherChannel(argument)
            }
        } catch {
            return [.notice(error.message)]
        }
        switch command {
        case .subscribe:
            return subscribe(channel)
        case .complete:
            // Protocol 7 answers `pusher:unsubscribe` with nothing.
            guard let index = subscribed.firstIndex(of: channel) else {
                return [.notice("not subscribed to \(channel.name)")]
            }
            subscribed.remove(at: index)
            channels.removeAll { $0 == channel }
            let unsubscribe = PusherMessage.client(
                "pusher:unsubscribe",
                data: .object([("channel", .string(channel.name))])
            )
            return [
                .transmit(.text(unsubscribe), carriesCredential: false),
                .notice("unsubscribed from \(channel.name)"),
            ]
        }
    }

    /// A close with a protocol 7 code and no `pusher:error` before it means what
    /// the error would have (the server closes with the error's code).
    public func closeVerdict(code: UInt16, reason: String) -> AppCloseVerdict? {
        guard phase != .ended else { return nil }
        let said = "close \(code)" + (reason.isEmpty ? "" : " \(reason)")
        switch code {
        case 4009: return .refused(said)
        case 4000..<4100: return .protocolError(said)
        case 4100..<4300: return .ended(said)
        default: return nil
        }
    }

    /// pusher-js's `disconnect` just closes the WebSocket.
    public mutating func finish(now: Double) -> [AppAction] {
        phase = .ended
        return [.closeWebSocket]
    }
}
