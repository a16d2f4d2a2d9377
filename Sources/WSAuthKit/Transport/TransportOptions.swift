/// The curl-compatible transport flags (docs/reference/behaviour.md "Conventions"), applied to every
/// libcurl handle a command opens, for HTTP requests and WebSockets alike.
public struct TransportOptions: Sendable {
    public var insecure = false
    public var caCert: String?
    public var clientCert: String?
    public var clientKey: String?
    public var proxy: String?
    /// `HOST:PORT:ADDR` entries, as curl's `--resolve`.
    public var resolve: [String] = []
    public var connectTimeout: TimeSpan?
    public var maxTime: TimeSpan?
    /// `-H` headers, in the order given.
    public var headers: [HTTPHeader] = []
    /// `-b FILE|NAME=VALUE`: cookies to send (a file in Netscape format, or a literal).
    public var cookie: String?
    /// The host `-H` and `-b` were given for: the command's own target (the
    /// WebSocket's host, the login or refresh URL's). Requests to other hosts
    /// carry neither (`RequestCredentials`); nil sends them with no HTTP request.
    public var givenFor: String?
    /// `-c FILE`: where to write the cookies afterwards (Netscape format).
    public var cookieJar: String?
    public var verbose = false

    public init() {}

    /// Parses a `-H "Name: value"` argument; a header without a colon is a usage error.
    public static func parseHeader(_ argument: String) throws(Failure) -> HTTPHeader {
        guard let colon = argument.firstIndex(of: ":") else {
            throw Failure.usage("invalid header '\(argument)': use -H \"Name: value\"")
        }
        let name = argument[..<colon].trimmingSpaces()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "!#$%&'*+-.^_`|~".contains($0) }) else {
            throw Failure.usage("invalid header name in '\(argument)': use -H \"Name: value\"")
        }
        let value = argument[argument.index(after: colon)...].trimmingSpaces()
        try HeaderSafety.check(String(value), source: .user("-H \(name)"))
        return HTTPHeader(name: String(name), value: String(value))
    }
}
