import HTTPTypes
import Hummingbird

/// `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive,
/// RFC 9110 §11.1).
enum BearerCredential {
    static func token(in headers: HTTPFields) -> String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
