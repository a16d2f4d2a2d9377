import Testing
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@testable import WSAuthKit

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

    @Test func reportGivesTimeLeft() throws {
        let token = makeJWT(claims: #"{"exp":2000}"#)
        let report = TokenReport.describe(Secret(token), now: Date(timeIntervalSince1970: 1000))
        #expect(!report.opaque)
        #expect(report.expiresInSeconds == 1000)
    }

    @Test func paddedSegmentsDecodeToo() {
        let claims = Base64.encode(Array(#"{"sub":"bob"}"#.utf8))
        let token = Base64.encodeURLUnpadded(Array(#"{"alg":"none"}"#.utf8)) + "." + claims + "."
        #expect(JWT.decode(token)?.user == "bob")
    }
}
