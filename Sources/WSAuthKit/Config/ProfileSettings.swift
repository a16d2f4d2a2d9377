/// The keys of a profile that are not a flag of the command reading them (docs/reference/behaviour.md
/// "Profiles", "Sessions"): the URLs a command uses when it is given none, and the
/// hosts the stored credentials may be sent to. Every other key reaches its command
/// as that command's flag (`ProfileArguments`).
public struct ProfileSettings: Sendable, Equatable {
    /// `login` without a URL.
    public var loginURL: String?
    /// `refresh` without a URL, and the refreshes of `connect`.
    public var refreshURL: String?
    /// `connect`, `probe`, `audit` and `doctor` without a URL.
    public var webSocketURL: String?
    /// More hosts the stored credentials may go to; one string is one host.
    public var hosts: [String]

    enum Key: String, CaseIterable {
        case loginURL = "login_url"
        case refreshURL = "refresh_url"
        case webSocketURL = "ws_url"
        case hosts
    }

    /// The keys, for `ProfileSchema`.
    public static let keys = Set(Key.allCases.map(\.rawValue))

    public init(loginURL: String? = nil, refreshURL: String? = nil, webSocketURL: String? = nil, hosts: [String] = []) {
        self.loginURL = loginURL
        self.refreshURL = refreshURL
        self.webSocketURL = webSocketURL
        self.hosts = hosts
    }
}

extension Profile {
    /// The profile's `ProfileSettings`; a value of the wrong type is a usage error
    /// naming the file, the line and the key (the first wrong one, in `Key`'s order).
    public func settings() throws(Failure) -> ProfileSettings {
        func text(_ key: ProfileSettings.Key) throws(Failure) -> String? {
            switch values[key.rawValue] {
            case nil: return nil
            case .string(let text)?: return text
            case _?: throw invalid(key.rawValue, "must be a string")
            }
        }
        let loginURL = try text(.loginURL)
        let refreshURL = try text(.refreshURL)
        let webSocketURL = try text(.webSocketURL)
        var hosts: [String] = []
        switch values[ProfileSettings.Key.hosts.rawValue] {
        case nil: break
        case .string(let host)?: hosts = [host]
        case .array(let items)?:
            for item in items {
                guard case .string(let host) = item else { throw invalidHosts() }
                hosts.append(host)
            }
        case _?: throw invalidHosts()
        }
        return ProfileSettings(loginURL: loginURL, refreshURL: refreshURL, webSocketURL: webSocketURL, hosts: hosts)
    }

    private func invalidHosts() -> Failure {
        invalid(ProfileSettings.Key.hosts.rawValue, "must be a string or an array of strings")
    }
}
