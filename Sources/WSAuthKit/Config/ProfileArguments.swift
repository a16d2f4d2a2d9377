/// One long flag of a command, as a profile sees it: docs/reference/profile-keys.md makes every
/// long flag a key in snake_case (`--token-in` → `token_in`).
public struct FlagSpec: Sendable, Equatable {
    public var long: String
    public var short: Character?
    /// An option (`--timeout 5s`) rather than a flag (`--insecure`).
    public var takesValue: Bool
    /// A repeatable option (`-H`, an array in the profile) or a counted flag.
    public var repeats: Bool

    public init(long: String, short: Character? = nil, takesValue: Bool, repeats: Bool = false) {
        self.long = long
        self.short = short
        self.takesValue = takesValue
        self.repeats = repeats
    }

    public var key: String { String(long.map { $0 == "-" ? "_" : $0 }) }
}

extension [FlagSpec] {
    /// The keys of these flags (a command's) that `commandLine` gives, by ArgumentParser's rules:
    /// before a `--`, `--long` or `--long=value`, and `-s` alone or in a cluster of short names
    /// (`-vk`). A short name takes no joined value — ArgumentParser refuses `-Hvalue` unless the
    /// flag is declared `allowingJoined`, which none of ours is — so a single-dash word with a
    /// letter that names none of these flags gives none of them. Words that are values never
    /// start with a dash on a command line ArgumentParser accepts (an option's value is the
    /// next word only when that word is not an option).
    public func givenKeys(in commandLine: [String]) -> Set<String> {
        let shorts = Dictionary(
            compactMap { flag in flag.short.map { ($0, flag.key) } },
            uniquingKeysWith: { first, _ in first }
        )
        var given: Set<String> = []
        for argument in commandLine {
            if argument == "--" { break }
            if argument.hasPrefix("--") {
                let name = argument.dropFirst(2).prefix { $0 != "=" }
                if let flag = first(where: { $0.long == name }) { given.insert(flag.key) }
            } else if argument.hasPrefix("-"), argument.count > 1 {
                let keys = argument.dropFirst().map { shorts[$0] }
                if keys.allSatisfy({ $0 != nil }) { given.formUnion(keys.compactMap { $0 }) }
            }
        }
        return given
    }
}

/// A profile's settings as the running command's own flags: `timeout = "5s"` for
/// `connect` becomes `--timeout=5s` in front of the command line's arguments. A value
/// from the profile is thus parsed, typed and checked by the same code as the flag,
/// and a new flag is a setting with nothing more to write — like curl's config file,
/// which is long options too.
///
/// The command line wins: a key whose flag it gives (by any name) is left out, and so
/// are the keys that are alternatives to it (`--token-env` on the command line drops
/// a profile's `token_file`). Keys the command has no flag for, or reads from its
/// flags only (`flagOnly`), are not its settings.
public struct ProfileArguments: Sendable {
    /// One setting, as the arguments it adds; kept apart so that a value the flag's
    /// parser refuses can be traced to its key.
    public struct Setting: Sendable, Equatable {
        public var key: String
        public var arguments: [String]
    }

    public var profile: Profile
    public var flags: [FlagSpec]
    /// Sets of keys of which one is given at a time (the sources of one secret).
    public var alternatives: [Set<String>]
    public var flagOnly: Set<String>

    public init(profile: Profile, flags: [FlagSpec], alternatives: [Set<String>] = [], flagOnly: Set<String> = []) {
        self.profile = profile
        self.flags = flags
        self.alternatives = alternatives
        self.flagOnly = flagOnly
    }

    /// The profile's settings for this command line, in the order of the file.
    public func settings(commandLine: [String]) throws(Failure) -> [Setting] {
        let given = flags.givenKeys(in: commandLine)
        let overridden = given.union(alternatives.filter { !$0.isDisjoint(with: given) }.flatMap { $0 })
        var settings: [Setting] = []
        for key in profile.values.keys.sorted(by: { (profile.lines[$0] ?? 0, $0) < (profile.lines[$1] ?? 0, $1) }) {
            guard !overridden.contains(key), !flagOnly.contains(key),
                let flag = flags.first(where: { $0.key == key }), let value = profile.values[key]
            else { continue }
            let arguments = try render(value, for: flag)
            if !arguments.isEmpty { settings.append(Setting(key: key, arguments: arguments)) }
        }
        return settings
    }

    /// The lines to say on stderr because of what these settings do. `insecure = true`
    /// turns TLS verification off for every run that uses the profile, so each such run
    /// says so; `-k` on the command line was typed for this run and is not repeated back.
    public func warnings(for settings: [Setting]) -> [String] {
        guard settings.contains(where: { $0.key == "insecure" && !$0.arguments.isEmpty }) else { return [] }
        let place = profile.place("insecure")
        return [
            "warning: TLS certificates are not verified: profile \(profile.name) sets insecure = true (\(place)); "
                + "anyone on the path can pose as the server"
        ]
    }

    /// `--name=value` (so a value that starts with a dash stays a value), once per
    /// element of an array; `true` is the flag itself, `false` nothing.
    private func render(_ value: Profile.Value, for flag: FlagSpec) throws(Failure) -> [String] {
        let name = "--" + flag.long
        switch (flag.takesValue, value) {
        case (false, .bool(let on)): return on ? [name] : []
        case (false, .integer(let count)) where flag.repeats && count >= 0: return Array(repeating: name, count: count)
        case (false, _): throw profile.invalid(flag.key, "must be true or false")
        case (true, .array(let items)):
            var texts: [String] = []
            for item in items {
                guard let text = item.scalarText else {
                    throw profile.invalid(flag.key, "must be an array of strings or numbers")
                }
                texts.append(text)
            }
            // A LIST flag (`--auth-close-codes 4001,4003`) takes the array as one value.
            return flag.repeats ? texts.map { name + "=" + $0 } : [name + "=" + texts.joined(separator: ",")]
        case (true, _):
            guard let text = value.scalarText else {
                throw profile.invalid(flag.key, "must be a string, a number or an array of them")
            }
            return [name + "=" + text]
        }
    }
}

extension Profile.Value {
    /// A string or number as a flag's value; nil for booleans and arrays.
    var scalarText: String? {
        switch self {
        case .string(let text): text
        case .integer(let number): String(number)
        case .double(let number): String(number)
        case .bool, .array: nil
        }
    }
}
