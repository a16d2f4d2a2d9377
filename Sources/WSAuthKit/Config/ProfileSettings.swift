#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The keys of a profile that are not a flag of the command reading them (docs/reference/behaviour.md
/// "Profiles", "Sessions"): the URLs a command uses when it is given none, and the
/// hosts the stored credentials may be sent to. Every other key reaches its command
/// as that command's flag (`ProfileArguments`).
public struct ProfileSettings: Decodable, Sendable, Equatable {
    /// `login` without a URL.
    public var loginURL: String?
    /// `refresh` without a URL, and the refreshes of `connect`.
    public var refreshURL: String?
    /// `connect`, `probe`, `audit` and `doctor` without a URL.
    public var webSocketURL: String?
    /// More hosts the stored credentials may go to; one string is one host.
    public var hosts: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case loginURL = "login_url", refreshURL = "refresh_url", webSocketURL = "ws_url", hosts
    }

    /// The keys, for `ProfileSchema`.
    public static let keys = Set(CodingKeys.allCases.map(\.rawValue))

    public init(loginURL: String? = nil, refreshURL: String? = nil, webSocketURL: String? = nil, hosts: [String] = []) {
        self.loginURL = loginURL; self.refreshURL = refreshURL; self.webSocketURL = webSocketURL; self.hosts = hosts
    }

    public init(from decoder: any Decoder) throws {
        let table = try decoder.container(keyedBy: CodingKeys.self)
        loginURL = try table.decodeIfPresent(String.self, forKey: .loginURL)
        refreshURL = try table.decodeIfPresent(String.self, forKey: .refreshURL)
        webSocketURL = try table.decodeIfPresent(String.self, forKey: .webSocketURL)
        if let host = try? table.decodeIfPresent(String.self, forKey: .hosts) {
            hosts = [host]
        } else {
            hosts = try table.decodeIfPresent([String].self, forKey: .hosts) ?? []
        }
    }
}

extension Profile {
    /// The profile's `ProfileSettings`; a value of the wrong type is a usage error
    /// naming the file, the line and the key.
    public func settings() throws(Failure) -> ProfileSettings {
        do {
            return try JSONDecoder().decode(ProfileSettings.self, from: JSONEncoder().encode(values))
        } catch let DecodingError.typeMismatch(_, context) {
            let key = context.codingPath.first?.stringValue ?? ""
            throw invalid(key, key == ProfileSettings.CodingKeys.hosts.rawValue ? "must be a string or an array of strings" : "must be a string")
        } catch {
            throw Failure.usage("\(file ?? "config.toml"): profiles.\(name.value): \(error)")
        }
    }
}

extension Profile.Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .double(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        case .array(let items): try container.encode(items)
        }
    }
}
