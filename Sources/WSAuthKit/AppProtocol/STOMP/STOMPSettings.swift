/// The flags of `--app stomp`, checked once before any connection.
public struct STOMPSettings: Sendable {
    /// Spring's pattern: the bearer token as a STOMP header of CONNECT.
    public static let defaultAuthTemplate = "Authorization:Bearer {token}"

    /// `host` of CONNECT (`--stomp-host`, default the URL's host): RabbitMQ maps it to a vhost.
    public let host: String
    /// `--auth-message` for STOMP: one `NAME:VALUE` header of CONNECT, `{token}` replaced.
    public let authTemplate: String
    /// `--user` and the password: `login` and `passcode` instead of the token header.
    public let login: (user: String, passcode: Secret)?
    /// `--subscribe DEST`, subscribed to in order after CONNECTED.
    public let subscriptions: [String]
    /// `--destination DEST`: where lines and `--send` go as SEND.
    public let destination: String?
    /// Our `heart-beat` offer in milliseconds, both ways (STOMP 1.2 "Heart-beating"); 0 for none.
    public let heartBeat: Int
    /// How long CONNECTED, and a RECEIPT of DISCONNECT, may take.
    public let handshakeTimeout: Double

    public init(
        host: String,
        authTemplate: String? = nil,
        login: (user: String, passcode: Secret)? = nil,
        subscriptions: [String] = [],
        destination: String? = nil,
        heartBeat: Int = 10_000,
        handshakeTimeout: Double = 10
    ) throws(Failure) {
        let template = authTemplate ?? STOMPSettings.defaultAuthTemplate
        guard let colon = template.firstIndex(of: ":"), colon != template.startIndex,
            !template.contains(where: { $0 == "\n" || $0 == "\r" })
        else {
            throw Failure.usage(
                "--auth-message for STOMP must be one CONNECT header NAME:VALUE, like \(STOMPSettings.defaultAuthTemplate)"
            )
        }
        for (flag, value) in [("--stomp-host", host), ("--user", login?.user ?? "")]
            + subscriptions.map({ ("--subscribe", $0) })
            + [("--destination", destination ?? "")] where value.contains(where: { $0 == "\n" || $0 == "\r" })
        {
            throw Failure.usage("\(flag): a STOMP header value cannot hold a line break")
        }
        // STOMP 1.2 "Value Encoding" has no escape for NUL, and a CR/LF would end the
        // header: a passcode holding one could never arrive intact. Not quoted: it is a secret.
        if let passcode = login?.passcode.reveal(),
            passcode.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" })
        {
            throw Failure.usage(
                "the STOMP passcode (--password-env/-file/-stdin) holds a CR, LF or NUL, which a STOMP header cannot carry"
            )
        }
        self.host = host
        self.authTemplate = template
        self.login = login
        self.subscriptions = subscriptions
        self.destination = destination
        self.heartBeat = max(0, heartBeat)
        self.handshakeTimeout = handshakeTimeout
    }

    /// The credential headers of CONNECT: login/passcode when given, else the
    /// filled template (none when it needs a token and there is none).
    func credentialHeaders(token: Secret?) -> [STOMPFrame.Header] {
        if let login { return [.init("login", login.user), .init("passcode", login.passcode.reveal())] }
        guard token != nil || !authTemplate.contains("{token}") else { return [] }
        let filled = token.map { TokenPresentation.fill(authTemplate, token: $0) } ?? authTemplate
        guard let colon = filled.firstIndex(of: ":") else { return [] }
        return [.init(String(filled[..<colon]), String(filled[filled.index(after: colon)...]))]
    }
}
