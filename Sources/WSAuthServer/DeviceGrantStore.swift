import NIOConcurrencyHelpers

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A device authorization request as the device authorization endpoint answers it
/// (RFC 8628 §3.2).
struct DeviceGrant: Sendable {
    let deviceCode: String
    let userCode: String
    let expiresIn: Int
    let interval: Int
}

/// What a poll of the token endpoint gets (RFC 8628 §3.5).
enum DevicePoll: Sendable, Equatable {
    case approved(subject: String, scope: String?)
    case pending
    case slowDown
    case denied
    case expired
    case unknown
}

/// What a user approves on the verification page: which client asks, for what
/// (RFC 8628 §5.4: the user must be able to tell a request they started from one
/// an attacker started).
struct PendingDeviceGrant: Sendable, Equatable {
    let clientID: String
    let scope: String?
}

/// Why no device code was issued.
enum DeviceGrantRefusal: Error, Sendable {
    /// `pendingLimit` codes wait for a decision already.
    case tooManyPending
}

/// Device codes and the user codes that stand for them, with the user's decision and
/// each code's polling pace.
final class DeviceGrantStore: Sendable {
    /// §3.2: long enough to walk to another device and log in.
    static let lifetime: TimeInterval = 600
    /// Short for a local server: the user (or `wsauth demo`) approves within seconds.
    static let interval: TimeInterval = 2
    /// Undecided, unexpired codes at once: anyone can ask for codes, so without a cap
    /// the store grows without bound, and the user-code space gets crowded (§5.1).
    static let pendingLimit = 100

    enum Decision: Sendable, Equatable {
        case pending
        case approved(subject: String)
        case denied
    }

    private struct Record {
        let clientID: String
        let scope: String?
        let userCode: String
        let expiresAt: Date
        var interval = DeviceGrantStore.interval
        var lastPoll: Date?
        var decision = Decision.pending
        /// Set when a logged-in user was shown the consent page: the page's form
        /// carries the ticket instead of the password.
        var consent: Consent?

        var grant: PendingDeviceGrant { PendingDeviceGrant(clientID: clientID, scope: scope) }

        func isPending(at now: Date) -> Bool { expiresAt > now && decision == .pending }
    }

    private struct Consent {
        let ticket: String
        let subject: String
    }

    private let records = NIOLockedValueBox([String: Record]())

    func issue(clientID: String, scope: String?, now: Date = Date()) throws(DeviceGrantRefusal) -> DeviceGrant {
        let deviceCode = RandomToken.make()
        let userCode = UserCode.make()
        let issued: Bool = records.withLockedValue { records in
            // Expired codes are kept a while, so that a late poll hears expired_token.
            records = records.filter { $0.value.expiresAt > now.addingTimeInterval(-Self.lifetime) }
            guard records.values.count(where: { $0.isPending(at: now) }) < Self.pendingLimit else { return false }
            records[deviceCode] = Record(
                clientID: clientID,
                scope: scope,
                userCode: userCode,
                expiresAt: now + Self.lifetime
            )
            return true
        }
        guard issued else { throw .tooManyPending }
        return DeviceGrant(
            deviceCode: deviceCode,
            userCode: userCode,
            expiresIn: Int(Self.lifetime),
            interval: Int(Self.interval)
        )
    }

    /// What a pending user code asks for; nil for an unknown, expired or decided code.
    func pending(userCode: String, now: Date = Date()) -> PendingDeviceGrant? {
        let wanted = UserCode.normalized(userCode)
        return records.withLockedValue { records in
            records.values.first { $0.userCode == wanted && $0.isPending(at: now) }?.grant
        }
    }

    /// A logged-in user is about to see what a pending code asks for: the ticket that
    /// their answer on the consent page must carry. Nil when the code is not pending.
    func openConsent(
        userCode: String,
        subject: String,
        now: Date = Date()
    ) -> (ticket: String, grant: PendingDeviceGrant)? {
        let wanted = UserCode.normalized(userCode)
        let ticket = RandomToken.make()
        return records.withLockedValue { records in
            guard let (key, record) = records.first(where: { $0.value.userCode == wanted }), record.isPending(at: now)
            else {
                return nil
            }
            records[key]?.consent = Consent(ticket: ticket, subject: subject)
            return (ticket, record.grant)
        }
    }

    /// The user's answer on the consent page, by its ticket: the subject who approved
    /// or denied, and what for. Nil for a wrong ticket or a code no longer pending.
    func decide(
        userCode: String,
        ticket: String,
        approve: Bool,
        now: Date = Date()
    ) -> (subject: String, grant: PendingDeviceGrant)? {
        let wanted = UserCode.normalized(userCode)
        return records.withLockedValue { records in
            guard let (key, record) = records.first(where: { $0.value.userCode == wanted }), record.isPending(at: now),
                let consent = record.consent, consent.ticket == ticket
            else { return nil }
            records[key]?.decision = approve ? .approved(subject: consent.subject) : .denied
            return (consent.subject, record.grant)
        }
    }

    /// A decision posted with the user's password in one request (`wsauth demo`, scripts);
    /// what was decided on, or nil when the user code is not pending.
    func decide(userCode: String, _ decision: Decision, now: Date = Date()) -> PendingDeviceGrant? {
        let wanted = UserCode.normalized(userCode)
        return records.withLockedValue { records in
            guard let (key, record) = records.first(where: { $0.value.userCode == wanted }), record.isPending(at: now)
            else {
                return nil
            }
            records[key]?.decision = decision
            return record.grant
        }
    }

    /// §3.5: a poll sooner than the interval is told to slow down, and the interval
    /// grows by 5 s for this and every later poll. An approved code is consumed.
    func poll(deviceCode: String, clientID: String, now: Date = Date()) -> DevicePoll {
        records.withLockedValue { records in
            guard var record = records[deviceCode], record.clientID == clientID else { return .unknown }
            guard record.expiresAt > now else { return .expired }
            let tooSoon = record.lastPoll.map { now.timeIntervalSince($0) < record.interval } ?? false
            record.lastPoll = now
            if tooSoon { record.interval += 5 }
            records[deviceCode] = record
            if tooSoon { return .slowDown }
            switch record.decision {
            case .pending: return .pending
            case .denied: return .denied
            case .approved(let subject):
                records[deviceCode] = nil
                return .approved(subject: subject, scope: record.scope)
            }
        }
    }
}

/// User codes as RFC 8628 §6.1 suggests: 8 consonants (no vowels, so no words), shown
/// as XXXX-XXXX; dashes, spaces and case are ignored on input.
enum UserCode {
    private static let alphabet = Array("BCDFGHJKLMNPQRSTVWXZ")

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let letters = (0..<8).map { _ in alphabet.randomElement(using: &generator)! }
        return String(letters[0..<4]) + "-" + String(letters[4...])
    }

    static func normalized(_ input: String) -> String {
        let letters = input.uppercased().filter { $0 != "-" && $0 != " " }
        guard letters.count == 8 else { return letters }
        return String(letters.prefix(4)) + "-" + String(letters.suffix(4))
    }
}
