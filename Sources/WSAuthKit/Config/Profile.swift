/// One `[profiles.NAME]` table of `config.toml` (docs/reference/profile-keys.md): URLs and the
/// long flags of `login`, `refresh` and `connect` in snake_case. Flags override it.
///
/// Values are kept as typed TOML scalars. A key that is a flag of the running command
/// reaches it as that flag (`ProfileArguments`); the others — the URLs used when a
/// command is given none, and `hosts` — are read as `ProfileSettings`. Unknown keys
/// are refused before any command runs (`ProfileSchema`).
public struct Profile: Sendable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case double(Double)
        case bool(Bool)
        case array([Value])
    }

    public var name: ProfileName
    /// The file the values came from, for messages; nil when there is no config file.
    public var file: String?
    public var values: [String: Value]
    /// The 1-based line of each key in the file.
    public var lines: [String: Int]

    public init(name: ProfileName, file: String? = nil, values: [String: Value] = [:], lines: [String: Int] = [:]) {
        self.name = name
        self.file = file
        self.values = values
        self.lines = lines
    }

    /// Reads `paths.configFile`; a missing file is an empty profile, a bad one a usage error.
    public static func load(_ name: ProfileName, paths: Paths) throws(Failure) -> Profile {
        guard let text = try FileIO.readText(paths.configFile) else { return Profile(name: name) }
        return try parse(text, name: name, file: paths.configFile)
    }

    public static func parse(_ text: String, name: ProfileName, file: String) throws(Failure) -> Profile {
        let tables: TOMLSubset.Tables
        do {
            tables = try TOMLSubset.parse(text)
        } catch {
            throw Failure.usage("\(file):\(error.line): \(error.message)")
        }
        if tables[[]]?["profiles"] != nil {
            throw Failure.usage("\(file): 'profiles' must be a table of [profiles.NAME] tables")
        }
        if tables[["profiles"]]?[name.value] != nil {
            throw Failure.usage("\(file): 'profiles.\(name.value)' must be a table")
        }
        let path = ["profiles", name.value]
        if let nested = tables.keys.first(where: { $0.count > 2 && Array($0.prefix(2)) == path }) {
            throw Failure.usage("\(file): \(nested.joined(separator: ".")): a table is not a valid setting")
        }
        let values = tables[path] ?? [:]
        var lines: [String: Int] = [:]
        for key in values.keys { lines[key] = ProfileSchema.line(of: key, inProfile: name.value, text: text) }
        return Profile(name: name, file: file, values: values, lines: lines)
    }

    /// Where `key` is set, `FILE:LINE`, for messages.
    public func place(_ key: String) -> String {
        let file = file ?? "config.toml"
        return lines[key].map { "\(file):\($0)" } ?? file
    }

    /// The usage error for a value of `key` that cannot be used.
    public func invalid(_ key: String, _ problem: String) -> Failure {
        Failure.usage("\(place(key)): profiles.\(name.value).\(key) \(problem)")
    }
}
