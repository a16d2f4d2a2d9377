import Glibc

/// Where wsauth keeps its files, per the XDG Base Directory Specification:
/// configuration under `$XDG_CONFIG_HOME` (default `~/.config`), credentials,
/// which are state rather than configuration, under `$XDG_STATE_HOME`
/// (default `~/.local/state`).
public struct Paths: Sendable, Equatable {
    public var configFile: String
    public var stateDirectory: String

    public init(configFile: String, stateDirectory: String) {
        self.configFile = configFile
        self.stateDirectory = stateDirectory
    }

    /// From the environment of this process.
    public static func fromEnvironment() throws(Failure) -> Paths {
        try from(environment: { name in getenv(name).map { String(cString: $0) } })
    }

    public static func from(environment: (String) -> String?) throws(Failure) -> Paths {
        // XDG: a relative value is invalid and must be ignored.
        func base(_ variable: String, fallback: String) throws(Failure) -> String {
            if let value = environment(variable), value.hasPrefix("/") { return value }
            guard let home = environment("HOME"), !home.isEmpty else {
                throw Failure.usage("neither $\(variable) nor $HOME is set: cannot tell where wsauth keeps its files")
            }
            return home + "/" + fallback
        }
        return Paths(
            configFile: try base("XDG_CONFIG_HOME", fallback: ".config") + "/wsauth/config.toml",
            stateDirectory: try base("XDG_STATE_HOME", fallback: ".local/state") + "/wsauth"
        )
    }

    /// `NAME.json` in the state directory.
    public func credentialsFile(profile: ProfileName) -> String {
        "\(stateDirectory)/\(profile.value).json"
    }
}

/// A profile's name: also a file name, so it is kept to a safe alphabet.
public struct ProfileName: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public static let standard = ProfileName(checked: "default")

    private init(checked: String) { value = checked }

    public init(_ text: String) throws(Failure) {
        let allowed = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard !text.isEmpty, allowed, !text.hasPrefix("."), text.count <= 64 else {
            throw Failure.usage("invalid profile name '\(text)': use letters, digits, '-', '_' and '.'")
        }
        value = text
    }

    /// `-p/--profile`, else `WSAUTH_PROFILE`, else `default`.
    public static func select(
        flag: String?,
        environment: (String) -> String? = { getenv($0).map { String(cString: $0) } }
    ) throws(Failure) -> ProfileName {
        if let flag { return try ProfileName(flag) }
        if let variable = environment("WSAUTH_PROFILE"), !variable.isEmpty { return try ProfileName(variable) }
        return .standard
    }

    public var description: String { value }
}
