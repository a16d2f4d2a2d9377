/// Dotted JSON paths given by `--token-path`, `--refresh-token-path`, `--expires-in-path`.
public struct TokenPaths: Sendable, Equatable {
    public var access: String?
    public var refresh: String?
    public var expiresIn: String?

    public init(access: String? = nil, refresh: String? = nil, expiresIn: String? = nil) {
        self.access = access
        self.refresh = refresh
        self.expiresIn = expiresIn
    }
}

/// What a login or refresh answer holds.
public struct LocatedTokens: Sendable {
    public var access: Secret?
    public var refresh: Secret?
    public var expiresIn: Double?
    public var tokenType: String?
}

/// Finds tokens in a JSON answer: at the given paths, else at the places APIs
/// commonly put them (RFC 6749 §5.1's top-level `access_token`; `data.*`,
/// `token`, `tokens.*`, `result.*`, camelCase spellings).
public enum TokenLocator {
    static let containers = ["", "data", "token", "tokens", "result", "auth", "data.tokens", "data.token"]
    static let accessKeys = ["access_token", "accessToken", "token", "access", "jwt", "id_token"]
    static let refreshKeys = ["refresh_token", "refreshToken", "refresh"]
    static let expiresKeys = ["expires_in", "expiresIn"]
    static let typeKeys = ["token_type", "tokenType"]

    public static func locate(in answer: JSONValue, paths: TokenPaths) throws(Failure) -> LocatedTokens {
        var found = LocatedTokens()
        if let path = paths.access {
            found.access = Secret(try required(answer, path, flag: "--token-path"))
        } else {
            found.access = firstString(answer, keys: accessKeys).map(Secret.init)
        }
        if let path = paths.refresh {
            found.refresh = Secret(try required(answer, path, flag: "--refresh-token-path"))
        } else {
            found.refresh = firstString(answer, keys: refreshKeys).map(Secret.init)
        }
        if let path = paths.expiresIn {
            guard let seconds = answer.value(atPath: path)?.numberValue else {
                throw missing(answer, path, flag: "--expires-in-path", what: "a number of seconds")
            }
            found.expiresIn = seconds
        } else {
            found.expiresIn = firstValue(answer, keys: expiresKeys)?.numberValue
        }
        // An expiry no clock can reach is no expiry at all (and must not trap later).
        if let seconds = found.expiresIn, !(0...TimeSpan.longest.seconds).contains(seconds) { found.expiresIn = nil }
        found.tokenType = firstString(answer, keys: typeKeys)
        return found
    }

    private static func candidates(_ keys: [String]) -> [String] {
        containers.flatMap { container in keys.map { container.isEmpty ? $0 : "\(container).\($0)" } }
    }

    private static func firstString(_ answer: JSONValue, keys: [String]) -> String? {
        for path in candidates(keys) {
            if let value = answer.value(atPath: path)?.stringValue, !value.isEmpty { return value }
        }
        return nil
    }

    private static func firstValue(_ answer: JSONValue, keys: [String]) -> JSONValue? {
        for path in candidates(keys) {
            if let value = answer.value(atPath: path), value != .null { return value }
        }
        return nil
    }

    private static func required(_ answer: JSONValue, _ path: String, flag: String) throws(Failure) -> String {
        guard let value = answer.value(atPath: path)?.stringValue, !value.isEmpty else {
            throw missing(answer, path, flag: flag, what: "a string")
        }
        return value
    }

    /// The answer could not be used: exit 3 (docs/reference/exit-codes.md, "Cases people ask about").
    private static func missing(_ answer: JSONValue, _ path: String, flag: String, what: String) -> Failure {
        let keys = answer.objectMembers.map { $0.map(\.0).joined(separator: ", ") } ?? "none, it is not an object"
        return Failure(.protocol, "the answer has no \(what) at '\(path)' (\(flag)); its top-level keys: \(keys)")
    }
}
