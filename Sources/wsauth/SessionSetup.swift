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
        if credentials.compress { plan.extensions = [DeflateParameters.offer] }
        plan.cookies = literalCookies.map { (name: $0.0, value: $0.1) }
        if let token { presentation.apply(token, to: &plan) }
        return plan
    }

    func driver(script: SessionScript) -> SessionDriver {
        let driver = SessionDriver(
            plan: { token in plan(token: token) }, token: token, transport: transport,
            script: script, output: output, redactor: output.redactor)
        driver.tokenPlacement = presentation.placement.rawValue
        return driver
    }
}
