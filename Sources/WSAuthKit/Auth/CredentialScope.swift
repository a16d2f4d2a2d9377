/// The hosts a profile's stored credentials may be sent to (docs/reference/behaviour.md "Sessions"):
/// the hosts they were obtained from, the WebSocket host named by the profile's
/// `ws_url` or by `login --ws-url`, and the profile's `hosts = [...]`.
///
/// A stored token is a bearer credential: whoever receives it can use it. So
/// `wsauth probe wss://any-host/` must not hand it to any host; credentials given
/// explicitly (`--token…`, `WSAUTH_TOKEN`) are not bound, they go where asked.
public struct CredentialScope: Sendable, Equatable {
    public private(set) var hosts: [String] = []

    public init(hosts: [String]) {
        for host in hosts { add(host) }
    }

    public init(credentials: Credentials, settings: ProfileSettings) {
        if let origins = credentials.obtainedFrom {
            for host in origins { add(host) }
        } else {
            // A file written before the origin was kept: the login endpoint's host
            // when the profile names it, and the refresh endpoint recorded at login.
            if let login = settings.loginURL { add(URLParts(login).host) }
            if let refresh = credentials.refreshEndpoint?.url { add(URLParts(refresh).host) }
        }
        for url in [settings.webSocketURL, credentials.webSocketURL].compactMap({ $0 }) {
            add(URLParts(url).host)
        }
        for host in settings.hosts { add(host) }
    }

    private mutating func add(_ host: String) {
        let host = CredentialScope.normalized(host)
        if !host.isEmpty, !hosts.contains(host) { hosts.append(host) }
    }

    public func allows(_ host: String) -> Bool {
        hosts.contains(CredentialScope.normalized(host))
    }

    /// Host names compare case-insensitively (RFC 4343), without a root dot; an
    /// IPv6 literal without its brackets.
    public static func normalized(_ host: String) -> String {
        var text = host.lowercased()
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// The one line said when the stored credentials stay home.
    public func refusal(host: String, profile: ProfileName, configFile: String) -> String {
        let owners = hosts.isEmpty ? "no known host" : hosts.joined(separator: ", ")
        return "not sending the stored credentials of profile \(profile) to \(host): they belong to \(owners); "
            + "to allow it, add \"\(CredentialScope.normalized(host))\" to hosts in [profiles.\(profile)] of \(configFile), or pass --token…"
    }
}

extension CredentialScope {
    /// Refuses (64), before anything is sent, an explicit URL that would receive
    /// the stored credentials on a host outside the scope (docs/credentials.md):
    /// `refresh URL`, `logout --revoke-url`, `audit --logout-url`, a discovered
    /// revocation endpoint. `what` names the URL's role for the message.
    public func require(_ url: String, for what: String, profile: ProfileName, configFile: String) throws(Failure) {
        let host = URLParts(url).host
        guard !allows(host) else { return }
        let owners = hosts.isEmpty ? "no known host" : hosts.joined(separator: ", ")
        throw Failure.usage(
            "refusing to send the stored credentials of profile \(profile) to \(host) (\(what)): they belong to \(owners); "
                + "to allow it, add \"\(CredentialScope.normalized(host))\" to hosts in [profiles.\(profile)] of \(configFile)"
        )
    }
}

/// What binds a profile's stored credentials to hosts: the profile's keys
/// (`ws_url`, `login_url`, `hosts`) and the file they are in, which a refusal names.
public struct ProfileBinding: Sendable {
    public var settings: ProfileSettings
    public var configFile: String

    public init(settings: ProfileSettings, configFile: String) {
        self.settings = settings
        self.configFile = configFile
    }

    public func scope(of credentials: Credentials) -> CredentialScope {
        CredentialScope(credentials: credentials, settings: settings)
    }
}
