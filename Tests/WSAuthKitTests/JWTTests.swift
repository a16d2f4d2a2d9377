import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Builds an unsigned JWS compact token from JSON texts.
func makeJWT(header: String = #"{"alg":"HS256","typ":"JWT"}"#, claims: String) -> String {
    Base64.encodeURLUnpadded(Array(header.utf8)) + "." + Base64.encodeURLUnpadded(Array(claims.utf8)) + ".c2ln"
}

@Suite struct JWTTests {
    @Test func decodesHeaderClaimsAndTimes() throws {
        let token = makeJWT(claims: #"{"sub":"alice","exp":1900000000,"iat":1899999100,"nbf":1899999000}"#)
        let jwt = try #require(JWT.decode(token))
        #expect(jwt.header["alg"] == .string("HS256"))
        #expect(jwt.claims["sub"] == .string("alice"))
        #expect(jwt.expiresAt?.timeIntervalSince1970 == 1_900_000_000)
        #expect(jwt.issuedAt?.timeIntervalSince1970 == 1_899_999_100)
        #expect(jwt.notBefore?.timeIntervalSince1970 == 1_899_999_000)
        #expect(jwt.user == "alice")
    }

    @Test(arguments: ["opaque-token-value", "a.b.c", "x.y", "", "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.sig"])
    func opaqueTokensAreNotJWTs(token: String) {
        #expect(JWT.decode(token) == nil)
        #expect(TokenReport.describe(Secret(token)).opaque)
    }

    /// Seen while writing Fuzz/FuzzJWT: `"exp": 1e300` trapped converting the time left to Int, so
    /// `wsauth token --decode` crashed on a token any server can hand out.
    @Test(arguments: ["1e300", "-1e300", "253402300800", "-62135596801", "1.7976931348623157e308"])
    func datesNoTimestampCanShowAreNotDates(exp: String) throws {
        let token = makeJWT(claims: #"{"sub":"alice","exp":\#(exp),"iat":\#(exp)}"#)
        let jwt = try #require(JWT.decode(token))
        #expect(jwt.expiresAt == nil && jwt.issuedAt == nil)
        let report = TokenReport.describe(Secret(token), now: Timestamp(timeIntervalSince1970: 1_800_000_000))
        #expect(!report.opaque && report.expiresAt == nil && report.expiresInSeconds == nil)
    }

    @Test func theLastShowableSecondIsADate() throws {
        let jwt = try #require(JWT.decode(makeJWT(claims: #"{"exp":253402300799,"iat":-62135596800}"#)))
        #expect(jwt.expiresAt.map(Timestamp.rfc3339) == "9999-12-31T23:59:59.000Z")
        #expect(jwt.issuedAt.map(Timestamp.rfc3339) == "0001-01-01T00:00:00.000Z")
    }

    @Test func reportGivesTimeLeft() throws {
        let token = makeJWT(claims: #"{"exp":2000}"#)
        let report = TokenReport.describe(Secret(token), now: Timestamp(timeIntervalSince1970: 1000))
        #expect(!report.opaque)
        #expect(report.expiresInSeconds == 1000)
    }

    @Test func paddedSegmentsDecodeToo() {
        let claims = Base64.encode(Array(#"{"sub":"bob"}"#.utf8))
        let token = Base64.encodeURLUnpadded(Array(#"{"alg":"none"}"#.utf8)) + "." + claims + "."
        #expect(JWT.decode(token)?.user == "bob")
    }
}
