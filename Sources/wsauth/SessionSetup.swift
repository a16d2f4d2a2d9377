import ArgumentParser
import WSAuthKit

/// What `connect` and `probe` share: the URL, the credentials and how they are
/// presented, and the transport, turned into a `SessionDriver`.
struct SessionSetup {
    let url: WebSocketURL
    let transport: TransportOptions
    let presentation: TokenPresentation
    let token: Secret?
    let credentials: CredentialFlags
    let output: Output

    init(url text: String, credentials: CredentialFlags, transport flags: TransportFlags, output: Output) throws(Failure) {
        url = try WebSocketURL.parse(text)
        transport = try flags.options()
        presentation = credentials.presentation
        token = try credentials.explicitToken()
        self.credentials = credentials
        self.output = output
        if let token { output.redactor.register(token: token) }
        for (_, value) in literalCookies { output.redactor.register(Secret(value)) }
    }

    /// `-b NAME=VALUE[; NAME=VALUE]` (a file name has no '=').
    var literalCookies: [(String, String)] {
        guard let literal = transport.cookie, literal.contains("=") else { return [] }
        return literal.split(separator: ";").compactMap { pair in
            let trimmed = pair.trimmingSpaces()
            guard let eq = trimmed.firstIndex(of: "=") else { return nil }
            return (String(trimmed[..<eq]), String(trimmed[trimmed.index(after: eq)...]))
        }
    }

    /// The handshake as flags and credentials shape it, for the token of the moment.
    func plan(token: Secret?) -> HandshakePlan {
        var plan = HandshakePlan(url: url)
        plan.headers = transport.headers
        plan.origin = credentials.origin
        plan.subprotocols = credentials.subprotocol
        plan.cookies = literalCookies.map { (name: $0.0, value: $0.1) }
        if let token { presentation.apply(token, to: &plan) }
        return plan
    }

    /// `--token-file`: refreshing reads the file again, so whatever keeps it
    /// current (a sidecar, a projected service-account token, `wsauth token > FILE`)
    /// is the refresh; `/refresh` in the REPL picks up a token written meanwhile.
    func tokenFileRefresher(emit: @escaping (Event) -> Void) -> TokenRefresher? {
        guard let path = credentials.tokenFile else { return nil }
        let redactor = output.redactor
        var current = token
        return { () throws(Failure) -> Secret? in
            guard let contents = FileText.read(path) else {
                throw Failure(.auth, "--token-file \(path): cannot read the file to refresh the token")
            }
            let line = contents.prefix { $0 != "\n" && $0 != "\r" }.trimmingSpaces()
            guard !line.isEmpty else { throw Failure(.auth, "--token-file \(path): the file is empty; no token to refresh with") }
            let token = Secret(String(line))
            guard token != current else {
                emit(Event(.refresh(RefreshReport(ok: false, expiresAt: nil, rotated: false,
                                                  skipped: "--token-file \(path) still holds the same token"))))
                return token
            }
            current = token
            // Registered before any event can mention it.
            redactor.register(token: token)
            emit(Event(.refresh(RefreshReport(ok: true, expiresAt: TokenClaims.report(token).expiresAt, rotated: false))))
            return token
        }
    }

    func driver(script: SessionScript) -> SessionDriver {
        let driver = SessionDriver(
            plan: { token in plan(token: token) }, token: token, transport: transport,
            script: script, output: output, redactor: output.redactor)
        driver.tokenPlacement = presentation.placement.rawValue
        return driver
    }
}
