import WSAuthKit

/// What the REPL knows of the session, kept up to date by its output as
/// events arrive and read by its input for the prompt and the commands.
final class ReplState {
    enum Link: Equatable {
        case connecting
        /// `--app`: the WebSocket is open, the application protocol's handshake is not done.
        case upgraded
        case open
        case closed(code: UInt16)
        case rejected(status: Int)
        /// Connecting failed (refused, DNS, TLS): no answer from the server at all.
        case failed
        case reconnecting
    }

    var link: Link = .connecting
    /// For `/headers`.
    var lastHandshake: HandshakeReport?
    /// The last round trip of a ping, ours or the keepalive's.
    var rttMs: Double?
    /// Payloads of pings sent with `/ping`: their pongs are printed; keepalive
    /// pongs (`--ping-interval`) only update the RTT in the prompt.
    var userPings: Set<[UInt8]> = []
    /// `--reconnect`: an auth close is handled without asking.
    let autoReconnect: Bool
    /// The token in use; it changes on refresh.
    let token: () -> Secret?
    /// `--app`: its label for the prompt (`socketio /admin`), commands and rendering.
    let app: AppSetup?
    /// `/raw`: the application protocol's own frames are shown (off by default with `--app`).
    var showRaw = false

    init(autoReconnect: Bool, token: @escaping () -> Secret?, app: AppSetup? = nil) {
        self.autoReconnect = autoReconnect
        self.token = token
        self.app = app
    }

    /// `[open · token 4m12s] > `, `[closed 4001] > `, `[reconnecting] > `.
    func prompt(now: Timestamp = Timestamp.now) -> String {
        var parts: [String]
        switch link {
        case .connecting: parts = ["connecting"]
        case .upgraded: parts = ["upgraded"]
        case .open: parts = ["open"]
        case .closed(let code): parts = ["closed \(code)"]
        case .rejected(let status): parts = ["rejected \(status)"]
        case .failed: parts = ["not connected"]
        case .reconnecting: parts = ["reconnecting"]
        }
        if let app { parts.append(app.configuration.label) }
        if let left = tokenTimeLeft(now: now) {
            // Whole seconds: the prompt changes once a second.
            parts.append(left > 0 ? "token \(TimeSpan.format(seconds: left.rounded(.down)))" : "token expired")
        }
        if link == .open, let rttMs {
            parts.append("rtt \(rttMs < 10 ? String((rttMs * 10).rounded() / 10) : String(Int(rttMs.rounded())))ms")
        }
        return "[\(parts.joined(separator: " · "))] > "
    }

    /// nil for no token, an opaque one, or a JWT without `exp`.
    func tokenTimeLeft(now: Timestamp = Timestamp.now) -> Double? {
        guard let token = token(), let expiresAt = JWT.decode(token.reveal())?.expiresAt else { return nil }
        return expiresAt.timeIntervalSince(now)
    }

    /// The socket is open (with `--app`, whether or not its session is): quitting closes it.
    var isOpen: Bool { link == .open || link == .upgraded }
}
