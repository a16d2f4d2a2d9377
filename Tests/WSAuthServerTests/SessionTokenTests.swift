import HTTPTypes
import Testing

import struct WSAuthKit.Secret

@testable import WSAuthServer

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An access token names its session by a key that no session endpoint accepts, so
/// nothing in it is worth anything after `exp`.
@Suite struct SessionTokenTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let auth = AuthService(
        configuration: ReferenceServerConfiguration(tokenTTL: .seconds(60), secret: "k"),
        counters: CounterBoard()
    )

    @Test func theSidClaimIsTheTokenKeyNotTheSessionID() throws {
        let issued = auth.login(subject: "alice", now: now)
        let claims = try auth.signer.verifiedClaims(of: issued.accessToken)
        #expect(claims.sid == issued.session.tokenKey && claims.sid != issued.session.id)
        #expect(!issued.accessToken.contains(issued.session.id))
        guard case .unknown = auth.sessions.lookup(sessionID: claims.sid, now: now) else {
            Issue.record("the token key opened a session")
            return
        }
        guard case .active = auth.sessions.lookup(sessionID: issued.session.id, now: now) else {
            Issue.record("the session itself is not active")
            return
        }
    }

    @Test func aTokenOpensItsSessionUntilExpOnly() throws {
        let issued = auth.login(subject: "alice", now: now)
        #expect(
            try auth.authenticate(accessToken: issued.accessToken, allowExpired: false, now: now).session.id
                == issued.session.id
        )
        #expect(throws: AccessTokenRejection.expired(secondsAgo: 1)) {
            try auth.authenticate(accessToken: issued.accessToken, allowExpired: false, now: now + 61)
        }
    }

    @Test func logoutByAnExpiredTokenStillFindsTheSession() throws {
        let issued = auth.login(subject: "alice", now: now)
        #expect(try auth.sessionID(ofSignedToken: issued.accessToken) == issued.session.id)
        auth.sessions.revoke(sessionID: issued.session.id)
        #expect(throws: AccessTokenRejection.sessionRevoked) {
            try auth.authenticate(accessToken: issued.accessToken, allowExpired: true, now: now)
        }
    }

    @Test func theLogRedactsWithTheClientsRule() {
        for length in [8, 15, 16, 24, 43, 200] {
            let secret = String(repeating: "a", count: length)
            let summary = ServerLog.credentialSummary(of: [.authorization: "Bearer " + secret, .cookie: "c=" + secret])
            #expect(summary == "authorization=Bearer \(Secret.redact(secret)) cookie c=\(Secret.redact(secret))")
        }
        #expect(Secret.redact(String(repeating: "a", count: 24)).hasPrefix("aaa…"), "an eighth of 24, not 6")
    }
}
