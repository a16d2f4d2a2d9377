/// upgrade, on a 404: the protocol's usual paths, tried with the same credentials on
/// the same host (where they belong); the first one that upgrades is the fix, alone.
public struct PathSearch {
    /// The handshake that was answered 404, credentials in.
    public var plan: HandshakePlan
    /// The URL as the flags gave it (no token in it), for the fix.
    public var base: WebSocketURL
    public var app: String?

    public init(plan: HandshakePlan, base: WebSocketURL, app: String?) {
        self.plan = plan
        self.base = base
        self.app = app
    }

    public func run(_ probe: any HandshakeProbe) -> DoctorFinding? {
        let here = base.path
        for path in UsualPaths.paths(app: app) where path != here {
            var moved = plan
            moved.url = moved.url.replacingPath(with: path)
            guard probe.attempt(moved).isAccepted else { continue }
            return .error(
                .upgrade,
                "the server answered 404: there is no WebSocket endpoint at \(here); \(path) upgrades",
                fix: "use \(base.replacingPath(with: path))",
                exit: .handshakeFailed
            )
        }
        return nil
    }
}

extension WebSocketURL {
    /// The same URL with another path; the query stays.
    func replacingPath(with path: String) -> WebSocketURL {
        var copy = self
        copy.resource = path + resource.drop { $0 != "?" }
        return copy
    }
}
