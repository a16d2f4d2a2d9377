/// placement: after a refusal, the same credentials in every other place servers
/// look for them; the first one accepted is said as the flags that send it there.
public struct PlacementSearch {
    /// One place to try: the flags that select it, and how it changes the handshake.
    public struct Candidate: Sendable {
        public var flags: String
        public var place: String
        var apply: @Sendable (inout HandshakePlan, Secret?, SessionCookieCredential?) -> Bool
    }

    public var base: HandshakePlan
    public var token: Secret?
    public var session: SessionCookieCredential?
    /// The `--token-in` flags in use, so they are not tried again.
    public var current: String
    /// `--app`: the token may also go in the app's auth payload (the plan's
    /// `appToken`), and a first message of our own is not a place the app has.
    public var app: String?
    public var appFix: String?

    public init(base: HandshakePlan, token: Secret?, session: SessionCookieCredential?, current: String) {
        self.base = base
        self.token = token
        self.session = session
        self.current = current
    }

    /// The order of docs/reference/behaviour.md: header, `?token=`, `?access_token=`, the Kubernetes
    /// subprotocol, the `token` cookie, a first message, `X-Session-Token`, the session cookie.
    public static let candidates: [Candidate] = [
        token("--token-in header", "the Authorization header", .header),
        token("--token-in query", "?token=", .query),
        token("--token-in query --query-param access_token", "?access_token=", .query, param: "access_token"),
        token("--token-in protocol", "the Kubernetes subprotocol", .protocol),
        token("--token-in cookie", "the cookie token", .cookie),
        token("--token-in message", "the first message", .message),
        Candidate(flags: "--session-header X-Session-Token", place: "the X-Session-Token header") { plan, _, session in
            guard let session else { return false }
            plan.headers.append(HTTPHeader(name: "X-Session-Token", value: session.value.reveal()))
            return true
        },
        Candidate(flags: "--session-cookie", place: "the session cookie") { plan, _, session in
            guard let session, !plan.cookies.contains(where: { $0.name == session.name }) else { return false }
            plan.cookies.append((session.name, session.value.reveal()))
            return true
        },
    ]

    /// With `--app`, the auth payload first (its default place), then the rest.
    func candidates() -> [Candidate] {
        guard let app else { return Self.candidates }
        let payload = Candidate(flags: "--token-in message", place: "the \(app) auth payload") { plan, token, _ in
            guard let token else { return false }
            plan.appToken = token
            return true
        }
        return [payload] + Self.candidates.filter { $0.flags != "--token-in message" }
    }

    static func token(
        _ flags: String,
        _ place: String,
        _ placement: TokenPlacement,
        param: String = "token"
    ) -> Candidate {
        Candidate(flags: flags, place: place) { plan, token, _ in
            guard let token else { return false }
            var presentation = TokenPresentation()
            presentation.placement = placement
            presentation.queryParam = param
            presentation.apply(token, to: &plan)
            return true
        }
    }

    public func run(_ probe: any HandshakeProbe) -> DoctorFinding {
        var tried: [String] = []
        for candidate in candidates() where candidate.flags != current {
            var plan = base
            guard candidate.apply(&plan, token, session) else { continue }
            tried.append(candidate.place)
            guard probe.attempt(plan).isAccepted else { continue }
            let flags =
                candidate.flags == "--session-cookie"
                ? "`--session-cookie \(session!.name)` and a cookie that matches this URL (see cookies)"
                : "`\(candidate.flags)`"
            return .error(
                .placement,
                "the server accepts the same credentials in \(candidate.place)",
                fix: "add \(flags)",
                exit: .authRejected
            )
        }
        guard !tried.isEmpty else { return .ok(.placement, "no credentials to try elsewhere") }
        let said = "no other placement was accepted either (tried \(tried.joined(separator: ", ")))"
        if let app {
            let check = appFix.map { "check \($0); " } ?? ""
            return .error(
                .placement,
                "\(said): \(app) refuses these credentials wherever they go",
                fix: "\(check)get fresh credentials with `wsauth login`, and see the token and cookies findings",
                exit: .authRejected
            )
        }
        return .error(
            .placement,
            "\(said): the credentials themselves are refused",
            fix: "get fresh ones with `wsauth login`, and see the token and cookies findings",
            exit: .authRejected
        )
    }
}
