import WSAuthKit

/// What the credential commands add to the shared renderer: a body whose
/// `Failure` becomes the final line and exit status, and plain lines for people.
extension Output {
    /// Runs a command body; a `Failure` ends the command through `fail`.
    func run(_ body: () throws(Failure) -> Void) throws(CommandExit) {
        do {
            try body()
        } catch {
            try fail(error)
        }
    }

    /// Emits an event; narration (notes: retries, a refresh reused from another
    /// process, a corrupt store) goes to stderr even when the report goes to
    /// stdout, and under --json too, where the event stream has no place for it.
    func report(_ event: Event) {
        if case .note(let text) = event.kind {
            say(text, to: .stderr)
        } else {
            emit(event)
        }
    }

    /// A stderr line that replaces itself on a terminal (the device flow's
    /// countdown); nil clears it. Nothing when stderr is not a terminal or under
    /// `--json`: CI logs get the plain notes only.
    func transient(_ text: String?) {
        guard !json, streams.stderrIsTerminal else { return }
        streams.write("\r\u{1B}[K" + (text.map { redactor.shown($0) } ?? ""), to: .stderr)
    }

    /// A line for people on stdout; nothing under `--json`.
    func line(_ text: String) {
        guard !json else { return }
        say(text, to: .stdout)
    }
}
