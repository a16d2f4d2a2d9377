/// One `[profiles.NAME]` table of `config.toml` (cli.md "Profiles"): URLs and the
/// long flags of `login`, `refresh` and `connect` in snake_case. Flags override it.
///
/// Values are kept as typed TOML scalars; each command asks for the keys it knows,
/// and a key of the wrong type is a usage error that names the file and key. Unknown
/// keys are refused before any command runs (`ProfileSchema`).
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

    public init(name: ProfileName, file: String? = nil, values: [String: Value] = [:]) {
        self.name = name; self.file = file; self.values = values
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
        return Profile(name: name, file: file, values: tables[path] ?? [:])
    }

    private func wrongType(_ key: String, _ expected: String) -> Failure {
        Failure.usage("\(file ?? "config.toml"): profiles.\(name.value).\(key) must be \(expected)")
    }

    public func string(_ key: String) throws(Failure) -> String? {
        switch values[key] {
        case nil: return nil
        case .string(let s)?: return s
        default: throw wrongType(key, "a string")
        }
    }

    /// The flag's value when given (flags override the profile), else the profile's.
    public func string(_ key: String, flag: String?) throws(Failure) -> String? {
        if let flag { return flag }
        return try string(key)
    }

    public func bool(_ key: String) throws(Failure) -> Bool? {
        switch values[key] {
        case nil: return nil
        case .bool(let b)?: return b
        default: throw wrongType(key, "true or false")
        }
    }

    public func integer(_ key: String) throws(Failure) -> Int? {
        switch values[key] {
        case nil: return nil
        case .integer(let i)?: return i
        default: throw wrongType(key, "an integer")
        }
    }

    /// A DURATION given as a string (`"5m"`) or a number of seconds.
    public func duration(_ key: String) throws(Failure) -> TimeSpan? {
        switch values[key] {
        case nil: return nil
        case .string(let s)?: return try TimeSpan.parse(s)
        case .integer(let i)? where i >= 0: return TimeSpan(seconds: Double(i))
        case .double(let d)? where d >= 0: return TimeSpan(seconds: d)
        default: throw wrongType(key, "a duration such as \"60s\"")
        }
    }

    /// An array of strings; a single string counts as a one-element array.
    public func strings(_ key: String) throws(Failure) -> [String]? {
        switch values[key] {
        case nil: return nil
        case .string(let s)?: return [s]
        case .array(let items)?:
            var result: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw wrongType(key, "an array of strings") }
                result.append(s)
            }
            return result
        default: throw wrongType(key, "an array of strings")
        }
    }

    public func integers(_ key: String) throws(Failure) -> [Int]? {
        switch values[key] {
        case nil: return nil
        case .integer(let i)?: return [i]
        case .array(let items)?:
            var result: [Int] = []
            for item in items {
                guard case .integer(let i) = item else { throw wrongType(key, "an array of integers") }
                result.append(i)
            }
            return result
        default: throw wrongType(key, "an array of integers")
        }
    }
}
