import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// The REPL's renderer: every event and message becomes lines above the prompt,
/// marked with the time and a direction (`←` from the server, `→` from us,
/// `·` for what wsauth itself says), and the prompt follows the state. Every line
/// goes out through `show`, which hands it to the one writer (`Output.render`):
/// redacted, with control characters in caret notation (`^[`).
final class ReplOutput: SessionOutput {
    let base: Output
    let editor: LineEditor
    let state: ReplState
    /// Server pings whose automatic pong the ping line already announced.
    private var answeredPings: [[UInt8]] = []

    init(base: Output, editor: LineEditor, state: ReplState) {
        self.base = base
        self.editor = editor
        self.state = state
    }

    private var redactor: Redactor { base.redactor }
    private var renderer: HumanRenderer {
        HumanRenderer(redactor: redactor, verbose: base.verbose)
    }

    // MARK: SessionOutput

    func emit(_ event: Event) {
        switch event.kind {
        case .secrets:
            base.emit(event)
        case .handshake(let h):
            state.lastHandshake = h
            // With --app the socket is open but the session is not until the app's own
            // handshake succeeds: a /subscribe typed before then would be refused.
            state.link = state.app == nil ? .open : .upgraded
            let subprotocol = h.subprotocol.map { ", subprotocol \($0)" } ?? ""
            show("·", "connected: \(h.statusLine)\(subprotocol) (/headers shows the handshake, /help the commands)")
        case .rejected(let r):
            state.link = .rejected(status: r.status)
            show("←", renderer.render(event) ?? [Line(r.statusLine)])
        case .sent(let m):
            sent(m)
        case .message(let m):
            received(m.payload)
        case .ping(let c):
            if state.app != nil, !state.showRaw {
                refreshPrompt()
            } else if c.direction == .in {
                answeredPings.append(c.data)
                show("←", "ping \(quoted(c.data)) (answered with a pong)")
            } else if state.userPings.contains(c.data) {
                show("→", "ping \(quoted(c.data))")
            }
        case .pong(let c):
            if let rtt = c.rttMs { state.rttMs = rtt }
            if state.app != nil, !state.showRaw {
                refreshPrompt()
            } else if c.direction == .out, let answered = answeredPings.firstIndex(of: c.data) {
                answeredPings.remove(at: answered)
            } else if c.direction == .out {
                show("→", "pong \(quoted(c.data))")
            } else if state.userPings.remove(c.data) != nil {
                show("←", "pong \(quoted(c.data))\(c.rttMs.map { " (RTT \(renderer.formatMs($0)))" } ?? "")")
            } else {
                refreshPrompt()
            }
        case .close(let c):
            state.link = .closed(code: c.code)
            show(c.initiator == .server ? "←" : "→", [Line(closeLine(c))])
            if c.auth, c.initiator == .server {
                show(
                    "·",
                    state.autoReconnect
                        ? "an auth close code: --reconnect is refreshing the token and reconnecting"
                        : "an auth close code: the credentials are no longer accepted; /refresh refreshes the token and reconnects, /reconnect retries with this one"
                )
            }
        case .reconnect:
            state.link = .reconnecting
            show("·", renderer.render(event))
        case .appOpened:
            state.link = .open
            show("·", renderer.render(event))
        case .refresh, .note, .check, .finding, .token, .status, .login, .error:
            show("·", renderer.render(event))
        }
    }

    func received(_ payload: MessagePayload) {
        switch payload {
        case .text(let text):
            show("←", (try? JSONValue.parse(text)).map { $0.pretty(redactor: redactor) } ?? text)
        case .binary(let bytes):
            let shown = redactor.bytes(bytes)
            let body = base.binaryStyle == .base64 ? Base64.encode(shown) : HexDump.render(shown)
            show("←", "binary \(bytes.count) bytes\n\(body)")
        }
    }

    /// An application message as its protocol reads it: `← event-name [args]`,
    /// a GraphQL result `← 1 {…}` with its payload pretty-printed.
    func received(_ message: AppMessage) {
        show("←", state.app?.rendering.received(message, redactor) ?? AppRendering.labelled(message, redactor))
    }

    /// `/raw`: a frame as it came off the wire (`← 2`, `← 42["welcome",…]`), before
    /// the line that says what it means; nothing without `/raw`.
    func receivedFrame(_ payload: MessagePayload) {
        guard state.showRaw else { return }
        switch payload {
        case .text(let text): show("←", text)
        case .binary(let bytes): show("←", "binary \(bytes.count) bytes")
        }
    }

    /// With `--app`, what we send is shown as the event it carries (`→ chat ["hi"]`,
    /// `→ subscribe 1 subscription { count }`); the protocol's own frames (CONNECT,
    /// `connection_init`, pongs) only with `/raw`.
    private func sent(_ m: MessageReport) {
        guard state.app != nil, !state.showRaw else { return show("→", describe(m)) }
        guard let event = state.app?.rendering.sent(m.payload) else { return refreshPrompt() }
        show("→", event)
    }

    /// Everything is written as it happens: nothing is buffered.
    func flush() {}

    // MARK: Lines for the REPL's own commands

    /// A line (or several) that wsauth says, above the prompt.
    func say(_ text: String) {
        show("·", text)
    }

    func refreshPrompt() {
        editor.display(above: nil, prompt: state.prompt())
    }

    // MARK: Formatting

    private func show(_ mark: String, _ text: String) {
        show(mark, [Line(text)])
    }

    /// `← 03:12:05 text`; further lines are indented under the first.
    private func show(_ mark: String, _ lines: [Line]?) {
        guard let lines else { return refreshPrompt() }
        let prefix = "\(mark) \(ReplOutput.clock(Timestamp.now)) "
        let indent = "\n" + String(repeating: " ", count: prefix.count)
        let body = base.render(lines).split(separator: "\n", omittingEmptySubsequences: false).joined(separator: indent)
        editor.display(above: prefix + body, prompt: state.prompt())
    }

    private func describe(_ m: MessageReport) -> String {
        switch m.payload {
        case .text(let text):
            if m.carriesCredential, !redactor.showSecrets { return "(auth message, redacted)" }
            return text
        case .binary(let bytes):
            return "binary \(bytes.count) bytes"
        }
    }

    private func closeLine(_ c: CloseReport) -> String {
        let reason = c.reason.isEmpty ? "" : " \"\(c.reason)\""
        return "close \(c.code)\(reason) — \(c.meaning)\(c.auth ? " [auth close code]" : "")"
    }

    private func quoted(_ data: [UInt8]) -> String {
        data.isEmpty ? "(empty)" : "\"\(String(decoding: data, as: UTF8.self))\""
    }

    /// Local wall-clock time, `03:12:05`: what the person compares with their own clock.
    static func clock(_ date: Timestamp) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
