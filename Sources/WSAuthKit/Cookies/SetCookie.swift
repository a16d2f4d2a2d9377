/// A `Set-Cookie` header taken apart (RFC 6265 §5.2), keeping what the audit
/// needs to see: which attributes were given, not only their effect.
public struct SetCookie: Sendable, Equatable {
    public enum SameSite: String, Sendable {
        case strict = "Strict"
        case lax = "Lax"
        case none = "None"
    }

    public var name: String
    public var value: String
    public var domain: String?
    public var path: String?
    public var secure = false
    public var httpOnly = false
    public var sameSite: SameSite?
    /// True when `Expires` or `Max-Age` was given: a persistent cookie.
    public var persistent = false

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// nil when the header has no name=value pair (§5.2 step 2: ignore it).
    public static func parse(_ header: String) -> SetCookie? {
        // "\r\n" is one Character in Swift, so line ends are dropped by isNewline.
        var header = Substring(header)
        while let last = header.last, last.isNewline || last.isWhitespace { header = header.dropLast() }
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = parts.first, let eq = first.firstIndex(of: "=") else { return nil }
        let name = first[..<eq].trimmingSpaces()
        guard !name.isEmpty else { return nil }
        var cookie = SetCookie(name: String(name), value: String(first[first.index(after: eq)...].trimmingSpaces()))
        for attribute in parts.dropFirst() {
            let pieces = attribute.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = pieces[0].trimmingSpaces().lowercased()
            let value = pieces.count > 1 ? String(pieces[1].trimmingSpaces()) : ""
            switch key {
            case "domain":
                // §5.2.3: a leading dot is ignored; an empty value is ignored.
                let domain = value.drop { $0 == "." }
                if !domain.isEmpty { cookie.domain = domain.lowercased() }
            case "path":
                // §5.2.4: a value that does not start with "/" means the default path.
                cookie.path = value.hasPrefix("/") ? value : nil
            case "secure": cookie.secure = true
            case "httponly": cookie.httpOnly = true
            case "expires", "max-age": cookie.persistent = true
            case "samesite":
                cookie.sameSite = SameSite.allCases.first { $0.rawValue.lowercased() == value.lowercased() }
            default: break
            }
        }
        return cookie
    }
}

extension SetCookie.SameSite: CaseIterable {}
