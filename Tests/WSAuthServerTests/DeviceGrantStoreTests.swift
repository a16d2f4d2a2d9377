import Testing

@testable import WSAuthServer

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The device grant's store (RFC 8628): the cap on pending codes, and the consent
/// ticket that lets a logged-in user decide after seeing the client and scope.
@Suite struct DeviceGrantStoreTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func pendingCodesAreCappedAndADecisionOrAnExpiryFreesAPlace() throws {
        let store = DeviceGrantStore()
        let first = try store.issue(clientID: "tv", scope: nil, now: now)
        for _ in 1..<DeviceGrantStore.pendingLimit { _ = try store.issue(clientID: "tv", scope: nil, now: now) }
        #expect(throws: DeviceGrantRefusal.tooManyPending) { try store.issue(clientID: "tv", scope: nil, now: now) }
        #expect(
            store.decide(userCode: first.userCode, .denied, now: now) == PendingDeviceGrant(clientID: "tv", scope: nil)
        )
        _ = try store.issue(clientID: "tv", scope: nil, now: now)
        #expect(throws: DeviceGrantRefusal.tooManyPending) { try store.issue(clientID: "tv", scope: nil, now: now) }
        let later = now + DeviceGrantStore.lifetime + 1
        #expect(throws: Never.self) { try store.issue(clientID: "tv", scope: nil, now: later) }
    }

    @Test func theConsentTicketDecidesOnceAndOnlyForItsCode() throws {
        let store = DeviceGrantStore()
        let grant = try store.issue(clientID: "living-room-tv", scope: "openid profile", now: now)
        let other = try store.issue(clientID: "other", scope: nil, now: now)
        let asked = PendingDeviceGrant(clientID: "living-room-tv", scope: "openid profile")
        #expect(store.pending(userCode: grant.userCode.lowercased(), now: now) == asked)
        #expect(store.openConsent(userCode: "BCDF-GHJK", subject: "alice", now: now) == nil)
        let (ticket, shown) = try #require(store.openConsent(userCode: grant.userCode, subject: "alice", now: now))
        #expect(shown.clientID == "living-room-tv")
        #expect(store.decide(userCode: grant.userCode, ticket: "forged", approve: true, now: now) == nil)
        #expect(
            store.decide(userCode: other.userCode, ticket: ticket, approve: true, now: now) == nil,
            "a ticket is bound to its code"
        )
        #expect(store.pending(userCode: grant.userCode, now: now) != nil)
        let decided = try #require(store.decide(userCode: grant.userCode, ticket: ticket, approve: true, now: now))
        #expect(decided.subject == "alice")
        #expect(store.decide(userCode: grant.userCode, ticket: ticket, approve: false, now: now) == nil, "used once")
        #expect(
            store.poll(deviceCode: grant.deviceCode, clientID: "living-room-tv", now: now)
                == .approved(subject: "alice", scope: asked.scope)
        )
    }

    @Test func aTicketIsNoGoodOnceTheCodeHasExpired() throws {
        let store = DeviceGrantStore()
        let grant = try store.issue(clientID: "tv", scope: nil, now: now)
        let (ticket, _) = try #require(store.openConsent(userCode: grant.userCode, subject: "alice", now: now))
        #expect(
            store.decide(userCode: grant.userCode, ticket: ticket, approve: true, now: now + DeviceGrantStore.lifetime)
                == nil
        )
    }
}
