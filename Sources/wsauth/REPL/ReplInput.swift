import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// The REPL as the event loop sees it: a descriptor to poll (the terminal), the
/// actions typed lines ask for, and a tick every second for the live prompt.
/// Commands that only show something (`/token`, `/headers`, `/codes`, `/help`)
/// are answered here and never reach the connection.
final class ReplInput: SessionInput {
    let editor: LineEditor
    let state: ReplState
    let output: ReplOutput
    let history: ReplHistory
    /// Set by `/quit`, Ctrl-D or Ctrl-C on an empty line: once closed, do not wait for more.
    private var quitting = false

    init(editor: LineEditor, state: ReplState, output: ReplOutput, history: ReplHistory) {
        self.editor = editor
        self.state = state
        self.output = output
        self.history = history
    }

    func start() {
        editor.start()
        history.load(into: editor)
        output.refreshPrompt()
    }

    /// Gives the terminal back and keeps the history.
    func finish() {
        editor.finish()
        history.save(from: editor)
    }

    // MARK: SessionInput

    var fileDescriptor: Int32? { editor.installed ? editor.fileDescriptor : nil }
    var tickInterval: Double? { 1 }

    func tick() {
        output.refreshPrompt()
    }

    func readAvailable() -> [InputAction] {
        editor.readAvailable().compactMap(perform)
    }

    /// The connection ended without the person asking to leave: keep the prompt
    /// (counting down) until they choose `/refresh`, `/reconnect` or to quit.
    func nextConnection(after failure: Failure?) -> InputAction? {
        if let failure, !quitting {
            state.link = .failed
            output.say(failure.message)
        }
        while !quitting, editor.installed {
            var entry = pollfd(fd: editor.fileDescriptor, events: Int16(POLLIN), revents: 0)
            // A one-second wait doubles as the prompt's tick.
            let ready = poll(&entry, 1, 1000)
            tick()
            guard ready > 0 else { continue }
            for action in readAvailable() {
                switch action {
                case .refreshAndReconnect, .reconnect: return action
                default: output.say("not connected: /reconnect, /refresh or /quit")
                }
            }
        }
        return nil
    }

    // MARK: Commands

    private func perform(_ input: EditorInput) -> InputAction? {
        switch input {
        case .endOfFile, .interrupt:
            return quit()
        case .line(let line):
            history.record(line, in: editor)
            return perform(ReplCommand.parse(line, app: state.app?.definition))
        }
    }

    private func perform(_ command: ReplCommand) -> InputAction? {
        switch command {
        case .send(let text):
            return text.isEmpty ? nil : .send(.text(text))
        case .ping(let data):
            state.userPings.insert(data)
            return .ping(data)
        case .pong(let data):
            return .pong(data)
        case .binary(let bytes):
            return .send(.binary(bytes))
        case .close(let code, let reason):
            return .close(code: code, reason: reason)
        case .app(let command):
            return .app(command)
        case .refresh:
            return .refreshAndReconnect
        case .reconnect:
            return .reconnect
        case .quit:
            return quit()
        case .token:
            output.say(tokenDescription())
        case .headers:
            output.say(handshakeDescription())
        case .codes(let code):
            output.say(codesDescription(code))
        case .raw:
            state.showRaw.toggle()
            output.say(state.showRaw ? "showing the protocol's own frames" : "showing application messages only")
        case .help:
            output.say(ReplCommand.helpText(app: state.app?.definition))
        case .invalid(let message):
            output.say(message)
        }
        return nil
    }

    private func quit() -> InputAction? {
        quitting = true
        guard state.isOpen else {
            // Nothing to close: end the wait for a next connection.
            editor.finish()
            return nil
        }
        return .close(code: .normalClosure, reason: "")
    }

    private func tokenDescription() -> String {
        guard let token = state.token() else { return "no token: the handshake carries no credentials" }
        let report = TokenReport.describe(token)
        let renderer = HumanRenderer(redactor: output.base.redactor, verbose: false)
        var lines = [renderer.tokenLines(report)]
        if let left = report.expiresInSeconds {
            lines.append(
                left > 0
                    ? "time left: \(TimeSpan.format(seconds: Double(left)))"
                    : "expired \(TimeSpan.format(seconds: Double(-left))) ago"
            )
        } else if !report.opaque {
            lines.append("no exp claim: the token does not say when it expires")
        }
        return lines.joined(separator: "\n")
    }

    private func handshakeDescription() -> String {
        guard let handshake = state.lastHandshake else { return "no handshake yet" }
        let renderer = HumanRenderer(redactor: output.base.redactor, verbose: true)
        return renderer.handshakeLines(handshake).map(\.text).joined(separator: "\n")
    }

    private func codesDescription(_ code: CloseCode?) -> String {
        let codes = code.map { [$0] } ?? CloseCode.catalogue
        return codes.map { closeCode in
            let auth = CloseCode.defaultAuthCodes.contains(closeCode) ? " [auth]" : ""
            return "\(closeCode.rawValue)  \(closeCode.name)\(auth): \(closeCode.meaning)"
        }.joined(separator: "\n")
    }
}
