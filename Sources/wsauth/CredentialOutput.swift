import WSAuthKit

/// What the credential commands add to the shared renderer: a body whose
/// `Failure` becomes the final line and exit status, and plain lines for people.
extension Output {
    /// Runs a command body; a `Failure` ends the process through `fail`.
    func run(_ body: () throws(Failure) -> Void) {
        do {
            try body()
        } catch {
            fail(error)
        }
    }

    /// Emits an event; narration (notes: retries, a refresh reused from another
    /// process, a corrupt store) goes to stderr even when the report goes to
    /// stdout, and under --json too, where the event stream has no place for it.
    func report(_ event: Event) {
        if case .note(let text) = event.kind {
            writeStderr(redactor.text(text) + "\n")
        } else {
            emit(event)
        }
    }

    /// A line for people on stdout, redacted; nothing under `--json`.
    func line(_ text: String) {
        guard !json else { return }
        writeStdout(redactor.text(text) + "\n")
    }
}

/// Registers every secret of stored credentials, so no output shows them.
func register(_ credentials: Credentials, _ redactor: Redactor) {
    // Every wire form of the token (base64url in a subprotocol, percent-encoded in a query).
    if let access = credentials.accessToken { redactor.register(token: access) }
    if let refresh = credentials.refreshToken { redactor.register(refresh) }
    for cookie in credentials.cookies.compactMap(NetscapeCookie.parse) { redactor.register(Secret(cookie.value)) }
}
