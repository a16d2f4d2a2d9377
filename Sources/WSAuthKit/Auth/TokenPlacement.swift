/// Where the access token goes in the handshake (docs/reference/behaviour.md `--token-in`).
public enum TokenPlacement: String, CaseIterable, Sendable {
    /// `Authorization: Bearer …` (or `--auth-header`/`--auth-scheme`).
    case header
    /// A query parameter, `?token=…`: visible in every access log on the way.
    case query
    /// A `Sec-WebSocket-Protocol` value, offered before the real subprotocols:
    /// what browsers and Kubernetes do, because a browser cannot set headers.
    case `protocol`
    /// A cookie, as a browser would send after a login.
    case cookie
    /// The first message after the handshake, sent again on every reconnect.
    case message
}

/// Everything about how a token is presented, from the flags of `connect`.
public struct TokenPresentation: Sendable {
    public var placement: TokenPlacement = .header
    public var authHeader = "Authorization"
    /// The scheme before the token; empty sends the bare token.
    public var authScheme = "Bearer"
    public var queryParam = "token"
    /// `{token64}` is the token in unpadded base64url, `{token}` the raw token.
    public var protocolTemplate = "base64url.bearer.authorization.k8s.io.{token64}"
    public var cookieName = "token"
    public var authMessageTemplate = #"{"type":"auth","token":"{token}"}"#
    /// `--app` probes (audit, doctor): `.message` is the app's auth payload, carried by
    /// the plan's `appToken` into the app's own handshake, not a first message of ours.
    public var appPayload = false

    public init() {}

    /// Fills a template's `{token}` and `{token64}` placeholders.
    public static func fill(_ template: String, token: Secret) -> String {
        template
            .replacing("{token64}", with: Base64.encodeURLUnpadded(Array(token.reveal().utf8)))
            .replacing("{token}", with: token.reveal())
    }

    /// Fills `{token}` inside a JSON template (an app protocol's auth payload),
    /// JSON-escaped so that a quote or backslash in the token cannot break out of
    /// its string.
    public static func fillJSON(_ template: String, token: String) -> String {
        let quoted = JSONValue.string(token).serialized()
        return template.replacing("{token}", with: quoted.dropFirst().dropLast())
    }

    /// Applies the token to the handshake being built.
    public func apply(_ token: Secret, to handshake: inout HandshakePlan) {
        switch placement {
        case .header:
            let value = authScheme.isEmpty ? token.reveal() : "\(authScheme) \(token.reveal())"
            handshake.headers.append(HTTPHeader(name: authHeader, value: value))
        case .query:
            handshake.url = handshake.url.addingQueryItem(name: queryParam, value: token.reveal())
        case .protocol:
            handshake.subprotocols.insert(TokenPresentation.fill(protocolTemplate, token: token), at: 0)
        case .cookie:
            handshake.cookies.append((cookieName, token.reveal()))
        case .message where appPayload:
            handshake.appToken = token
        case .message:
            handshake.authMessage = TokenPresentation.fill(authMessageTemplate, token: token)
        }
    }
}

/// The parts of a handshake that credentials change, before it becomes bytes.
public struct HandshakePlan: Sendable {
    public var url: WebSocketURL
    public var headers: [HTTPHeader] = []
    public var subprotocols: [String] = []
    public var cookies: [(name: String, value: String)] = []
    public var origin: String?
    public var extensions: [String] = []
    /// Sent as the first text message after the handshake (`--token-in message`).
    public var authMessage: String?
    /// `--app` probes: the token the app's own handshake carries (a forged one, or
    /// none: nil), as the app's `--auth-message` template places it.
    public var appToken: Secret?

    public init(url: WebSocketURL) {
        self.url = url
    }

    /// The request as it will go on the wire. One `Cookie` header (RFC 6265 §5.4).
    public func request() -> HandshakeRequest {
        var extra = headers
        if !cookies.isEmpty {
            let joined = cookies.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
            if let index = extra.firstIndex(where: { $0.name.lowercased() == "cookie" }) {
                extra[index].value += "; " + joined
            } else {
                extra.append(HTTPHeader(name: "Cookie", value: joined))
            }
        }
        return HandshakeRequest(
            host: url.host,
            port: url.port,
            secure: url.secure,
            resource: url.resource,
            subprotocols: subprotocols,
            origin: origin,
            extensions: extensions,
            extraHeaders: extra.map { (name: $0.name, value: $0.value) }
        )
    }
}
