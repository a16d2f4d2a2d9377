/// Rails Action Cable (and AnyCable) as an `AppSession` (docs/protocols.md,
/// `actioncable`), read from the Action Cable 6.1 source.
///
/// The credentials rode in the upgrade (cookies, `Authorization`): the server
/// speaks first, `welcome` when `ApplicationCable::Connection#connect` accepted
/// them, or `disconnect` with `unauthorized` when it called
/// `reject_unauthorized_connection`. Then every `--channel` is subscribed (after a
/// reconnect, every channel the previous connection had: `takeOver`), and each
/// `confirm_subscription` is part of the handshake. The server's `ping`
/// every 3 s has no answer; six seconds without one is a drop, the JavaScript
/// client's `ConnectionMonitor.staleThreshold`.
public struct ActionCableProtocol: AppSession {
    public let name = "actioncable"
    /// `ActionCable::INTERNAL[:protocols]`: the one the server speaks, JSON.
    public static let offered = ["actioncable-v1-json"]
    public let subprotocols = ActionCableProtocol.offered
    /// `ConnectionMonitor.staleThreshold` (seconds): pings come every 3.
    public static let staleAfter = 6.0
    public static let defaultHandshakeTimeout = 10.0

    /// What the session subscribes on every connection: the `--channel`s, then the channels
    /// `/subscribe` added once the server confirmed them, less those `/complete` ended.
    var channels: [ActionCableChannel]
    let handshakeTimeout: Double

    enum Phase: Equatable { case welcoming, subscribing, open, ended }
    var phase = Phase.welcoming
    var handshakeDeadline: Double?
    /// No ping after this is a drop.
    var staleDeadline: Double?
    /// Subscriptions sent and not yet confirmed, by identifier.
    var pending: [String: ActionCableChannel] = [:]
    /// Confirmed subscriptions in order: lines are performed on the first.
    var subscribed: [ActionCableChannel] = []
    /// Lines given before the first channel's confirmation, performed after it.
    var queuedLines: [String] = []

    public init(channels: [ActionCableChannel], handshakeTimeout: Double = ActionCableProtocol.defaultHandshakeTimeout)
    {
        self.channels = channels
        self.handshakeTimeout = handshakeTimeout
    }

    /// A reconnect subscribes what the previous connection had, REPL additions included
    /// (docs/protocols.md, `actioncable`).
    public mutating func takeOver(from previous: any AppSession) {
        if let previous = previous as? ActionCableProtocol { channels = previous.channels }
    }

    public var nextDeadline: Double? {
        guard phase != .ended else { return nil }
        return [handshakeDeadline, staleDeadline].compactMap { $0 }.min()
    }

    public mutating func start(now: Double) -> [AppAction] {
        handshakeDeadline = now + handshakeTimeout
        return []
    }

    public mutating func timerFired(now: Double) -> [AppAction] {
        guard phase != .ended else { return [] }
        if let deadline = handshakeDeadline, now >= deadline {
            let waitingFor =
                phase == .welcoming
                ? "welcome" : "confirm_subscription for \(pending.values.map(\.name).sorted().joined(separator: ", "))"
            phase = .ended
            return [.unanswered("no Action Cable \(waitingFor) within \(JSONValue.format(number: handshakeTimeout)) s")]
        }
        if let deadline = staleDeadline, now >= deadline {
            phase = .ended
            return [
                .timedOut(
                    "no Action Cable ping for \(JSONValue.format(number: Self.staleAfter)) s (the server pings every 3 s)"
                )
            ]
        }
        return []
    }

    public mutating func receive(_ payload: MessagePayload, now: Double) -> [AppAction] {
        guard phase != .ended else { return [] }
        guard case .text(let text) = payload, let message = ActionCableMessage(text: text) else {
            phase = .ended
            return [.violation("not a JSON object: Action Cable's actioncable-v1-json carries one per text message")]
        }
        switch message {
        case .welcome:
            guard phase == .welcoming else { return [.notice("a second Action Cable welcome")] }
            staleDeadline = now + Self.staleAfter
            guard !channels.isEmpty else { return opened(now: now) }
            phase = .subscribing
            let wanted = channels
            return wanted.map { subscribe($0) }
        case .ping(let stamp):
            if phase != .welcoming { staleDeadline = now + Self.staleAfter }
            return [.keepalive(AppKeepalive(.ping, .in, data: stamp))]
        case .disconnect(let reason, let reconnect):
            return disconnected(reason: reason, reconnect: reconnect)
        case .confirmed(let identifier):
            guard let channel = pending.removeValue(forKey: identifier) else {
                return [.notice("confirm_subscription for \(identifier), which we did not ask for")]
            }
            subscribed.append(channel)
            if !channels.contains(where: { $0.identifier == identifier }) { channels.append(channel) }
            if phase == .subscribing { return pending.isEmpty ? opened(now: now) : [] }
            return [.notice("subscribed to \(channel.name)")] + performQueued()
        case .rejected(let identifier):
            let channel = pending.removeValue(forKey: identifier)
            phase = .ended
            return [
                .rejected(
                    message:
                        "the subscription to \(channel?.name ?? ActionCableChannel.name(of: identifier)) was rejected (reject_subscription)"
                )
            ]
        case .message(let identifier, let body):
            let channel = ActionCableChannel.name(of: identifier)
            return [
                .deliver(AppMessage(text: body.serialized(), label: channel, fields: ["channel": .string(channel)]))
            ]
        case .other(let text):
            return [.notice("an Action Cable message wsauth does not know: \(text)")]
        }
    }

    /// `Connection::Base#close`: `unauthorized` (`reject_unauthorized_connection`) or
    /// any disconnect before `welcome` refuses the credentials; later ones end the
    /// session. `"reconnect":false` forbids a reconnect, as the JavaScript client obeys it.
    private mutating func disconnected(reason: String?, reconnect: Bool) -> [AppAction] {
        let text = "disconnect" + (reason.map { " \($0)" } ?? "") + (reconnect ? "" : " (reconnect: false)")
        let refused = phase == .welcoming || reason == "unauthorized"
        phase = .ended
        let end: AppAction = refused ? .rejected(message: text) : .serverEnded(reason: text)
        return reconnect ? [end] : [.noReconnect, end]
    }

    /// The handshake is over: accepted, and what waited for it goes out.
    private mutating func opened(now: Double) -> [AppAction] {
        phase = .open
        handshakeDeadline = nil
        var details: [(name: String, value: String)] = []
        if !channels.isEmpty {
            details.append((name: "subscribed", value: channels.map(\.name).joined(separator: ", ")))
        }
        return [.accepted(AppHandshake(app: name, details: details))] + performQueued()
    }

    private mutating func performQueued() -> [AppAction] {
        guard !subscribed.isEmpty else { return [] }
        defer { queuedLines = [] }
        return queuedLines.flatMap { perform($0) }
    }

    public mutating func send(_ line: String, now: Double) -> [AppAction] {
        switch phase {
        case .ended:
            return [.notice("not sent: the Action Cable session has ended")]
        case .welcoming, .subscribing:
            queuedLines.append(line)
            return []
        case .open:
            guard !subscribed.isEmpty else {
                if !pending.isEmpty {
                    queuedLines.append(line)
                    return []
                }
                return [.notice("not sent: a line is performed on a channel (--channel NAME or /subscribe CHANNEL)")]
            }
            return perform(line)
        }
    }

    /// A line that is a JSON object is performed on the first channel (its
    /// `action` names the channel's method; without one, `receive`).
    private func perform(_ line: String) -> [AppAction] {
        let text = String(line.trimmingSpaces())
        guard let value = try? JSONValue.parse(text), value.objectMembers != nil else {
            return [
                .notice("not sent: a line is performed as a JSON object, like {\"action\":\"speak\",\"text\":\"hi\"}")
            ]
        }
        return [
            .transmit(
                .text(ActionCableMessage.perform(identifier: subscribed[0].identifier, data: value.serialized())),
                carriesCredential: false
            )
        ]
    }

    public mutating func command(_ command: AppCommand, now: Double) -> [AppAction] {
        guard phase == .open else { return [.notice("\(command.name): the Action Cable session is not open")] }
        let channel: ActionCableChannel
        do {
            switch command {
            case .subscribe(let argument), .complete(let argument): channel = try ActionCableChannel(argument)
            }
        } catch {
            return [.notice(error.message)]
        }
        switch command {
        case .subscribe:
            return [subscribe(channel)]
        case .complete:
            // Action Cable answers an unsubscribe with nothing (`Subscriptions#remove`).
            guard let index = subscribed.firstIndex(where: { $0.identifier == channel.identifier }) else {
                return [.notice("not subscribed to \(channel.identifier)")]
            }
            subscribed.remove(at: index)
            channels.removeAll { $0.identifier == channel.identifier }
            return [
                .transmit(
                    .text(ActionCableMessage.command("unsubscribe", identifier: channel.identifier)),
                    carriesCredential: false
                ),
                .notice("unsubscribed from \(channel.name)"),
            ]
        }
    }

    private mutating func subscribe(_ channel: ActionCableChannel) -> AppAction {
        pending[channel.identifier] = channel
        return .transmit(
            .text(ActionCableMessage.command("subscribe", identifier: channel.identifier)),
            carriesCredential: false
        )
    }

    /// A close without a `disconnect` message ends the session as a server end
    /// does, and the JavaScript client reconnects after it: so does `--reconnect`.
    public func closeVerdict(code: UInt16, reason: String) -> AppCloseVerdict? {
        guard phase != .ended else { return nil }
        return .ended(
            "the server closed the connection without a disconnect message (close \(code)\(reason.isEmpty ? "" : " \(reason)"))"
        )
    }

    /// The JavaScript client's `disconnect` just closes the WebSocket.
    public mutating func finish(now: Double) -> [AppAction] {
        phase = .ended
        return [.closeWebSocket]
    }
}
