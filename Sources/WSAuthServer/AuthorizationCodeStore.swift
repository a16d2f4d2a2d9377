import NIOConcurrencyHelpers

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the user approved at `/authorize`, bound to the code that stands for it.
struct AuthorizationGrant: Sendable {
    let clientID: String
    let redirect: LoopbackRedirect
    let challenge: String
    let subject: String
    let scope: String?
    let nonce: String?
}

/// The outcome of presenting an authorization code at the token endpoint.
enum CodeRedemption: Sendable {
    case granted(AuthorizationGrant)
    case unknown
    case expired
    /// Presented before: the session it opened, to be revoked (RFC 6749 §4.1.2).
    case reused(sessionID: String?)
}

/// Authorization codes: one-time, short-lived (RFC 6749 §4.1.2 recommends at most
/// 10 minutes; a loopback redirect is redeemed within a second, so 60 s).
final class AuthorizationCodeStore: Sendable {
    static let lifetime: TimeInterval = 60

    private struct Record {
        let grant: AuthorizationGrant
        let expiresAt: Date
        var redeemed = false
        var sessionID: String?
    }

    private let records = NIOLockedValueBox([String: Record]())

    func issue(_ grant: AuthorizationGrant, now: Date = Date()) -> String {
        let code = RandomToken.make()
        records.withLockedValue { records in
            records = records.filter { $0.value.expiresAt > now }
            records[code] = Record(grant: grant, expiresAt: now + Self.lifetime)
        }
        return code
    }

    /// Consumes the code whatever happens next: a code that failed a check (wrong
    /// verifier, wrong redirect) cannot be tried again.
    func redeem(_ code: String, now: Date = Date()) -> CodeRedemption {
        records.withLockedValue { records in
            guard var record = records[code] else { return .unknown }
            guard !record.redeemed else { return .reused(sessionID: record.sessionID) }
            record.redeemed = true
            records[code] = record
            return record.expiresAt > now ? .granted(record.grant) : .expired
        }
    }

    /// Remembers the session a code opened, so that a replay of the code can end it.
    func bind(_ code: String, to sessionID: String) {
        records.withLockedValue { $0[code]?.sessionID = sessionID }
    }
}
