import HTTPTypes
import Hummingbird

import struct WSAuthKit.Secret

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The server's own log: one timestamped line per request or socket event, handed to
/// the configured sink. Callers pass secrets through `Redaction` before they get here.
struct ServerLog: Sendable {
    let sink: @Sendable (String) -> Void

    /// Escapes control characters of the whole line: a token's `alg`, a user name or a
    /// close reason comes from the client.
    func callAsFunction(_ line: String) {
        sink("\(Date().formatted(.iso8601)) \(Printable.escaped(line))")
    }

    /// What a request carried that identifies someone, redacted (docs/reference/behaviour.md: Authorization
    /// and Cookie values are secrets).
    static func credentialSummary(of headers: HTTPFields) -> String {
        var parts: [String] = []
        if let authorization = headers[.authorization] {
            let (scheme, credential) = split(authorization)
            parts.append("authorization=\(scheme) \(Secret.redact(String(credential)))")
        }
        for cookieHeader in headers[values: .cookie] {
            for pair in cookieHeader.split(separator: ";") {
                let (name, value) = splitPair(pair)
                parts.append("cookie \(name)=\(Secret.redact(String(value)))")
            }
        }
        if let sessionToken = headers[HTTPField.Name.sessionToken] {
            parts.append("x-session-token=\(Secret.redact(String(sessionToken)))")
        }
        return parts.joined(separator: " ")
    }

    /// Query parameters known to hold nothing secret; every other value is redacted.
    private static let harmlessParameters: Set<String> = ["auth"]

    /// The request target with its query values redacted: `?token=` is exactly the leak we avoid.
    static func redactedTarget(of request: Request) -> String {
        let text = request.uri.description
        guard let mark = text.firstIndex(of: "?") else { return text }
        let path = text[..<mark]
        let query = text[text.index(after: mark)...]
        let redacted = query.split(separator: "&").map { item in
            let (name, value) = splitPair(item, separator: "=")
            if value.isEmpty { return name }
            return harmlessParameters.contains(name) ? "\(name)=\(value)" : "\(name)=\(Secret.redact(String(value)))"
        }
        return "\(path)?\(redacted.joined(separator: "&"))"
    }

    private static func split(_ authorization: String) -> (String, Substring) {
        guard let space = authorization.firstIndex(of: " ") else { return ("", authorization[...]) }
        return (String(authorization[..<space]), authorization[authorization.index(after: space)...])
    }

    private static func splitPair(_ pair: Substring, separator: Character = "=") -> (String, Substring) {
        let trimmed = pair.drop { $0 == " " }
        guard let index = trimmed.firstIndex(of: separator) else { return (String(trimmed), "") }
        return (String(trimmed[..<index]), trimmed[trimmed.index(after: index)...])
    }
}
