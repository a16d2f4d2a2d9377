import ArgumentParser
import WSAuthKit

/// What `connect` and `probe` share: the URL, the credentials and how they are
/// presented, the transport, and the run of one session to an exit status.
struct SessionSetup {
    let url: WebSocketURL
    let transport: TransportOptions
    let presentation: TokenPresentation
    let token: Secret?
    let credentials: CredentialFlags
    let output: Output
    let deadline: Deadline

    init(url text: String, credentials: CredentialFlags, transport flags: TransportFlags, output: Output) throws(Failure) {
        url = try WebSocketURL.parse(text)
        transport = try flags.options()
        presentation = credentials.presentation
        token = try credentials.explicitToken()
        self.credentials = credentials
        self.output = output
        deadline = .after(transport.maxTime)
        if let token { output.redactor.register(token) }
        if let literal = transport.cookie, literal.contains("=") {
            for pair in literal.split(separator: ";") {
                if let eq = pair.firstIndex(of: "=") { output.redactor.register(Secret(String(pair[pair.index(after: eq)...]))) }
            }
        }
    }

    /// The handshake as flags and credentials shape it.
    func plan() -> HandshakePlan {
        var plan = HandshakePlan(url: url)
        plan.headers = transport.headers
        plan.origin = credentials.origin
        plan.subprotocols = credentials.subprotocol
        if let literal = transport.cookie, literal.contains("=") {
            for pair in literal.split(separator: ";") {
                let trimmed = pair.trimmingSpaces()
                guard let eq = trimmed.firstIndex(of: "=") else { continue }
                plan.cookies.append((String(trimmed[..<eq]), String(trimmed[trimmed.index(after: eq)...])))
            }
        }
        if let token { presentation.apply(token, to: &plan) }
        return plan
    }

    /// Opens the socket and runs the script; nil on success, else the failure to report.
    func run(script: SessionScript, stdinOpen: Bool) throws(Failure) -> Failure? {
        let plan = plan()
        let outcome = try HandshakeRunner.open(
            plan, transport: transport, maxMessageSize: script.maxMessageSize,
            deadline: deadline, tokenPlacement: token == nil ? nil : presentation.placement.rawValue)
        switch outcome {
        case .rejected(let rejection):
            output.emit(Event(.rejected(rejection)))
            return SessionVerdict.failure(for: rejection, tokenGiven: token != nil)
        case .open(let socket):
            output.emit(Event(.handshake(socket.report)))
            let loop = ConnectionLoop(
                socket: socket, script: script, progress: ScriptProgress(), authMessage: plan.authMessage,
                output: output, redactor: output.redactor, deadline: deadline, stdinOpen: stdinOpen)
            let end = try loop.run()
            return SessionVerdict.failure(for: end, script: script, progress: loop.finalProgress)
        }
    }
}
