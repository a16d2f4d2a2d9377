import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct TokenCheckTests {
    let now = Timestamp(timeIntervalSince1970: 1_800_000_000)

    func token(_ claims: String) -> Secret { Secret(makeJWT(claims: claims)) }

    func check(
        _ claims: String,
        skew: Int? = nil,
        rtt: Int? = nil,
        audience: String? = nil,
        refused: Bool = true
    ) -> [DoctorFinding] {
        TokenCheck(token: token(claims), now: now, skewMs: skew, roundTripMs: rtt, audience: audience, refused: refused)
            .findings()
    }

    @Test func expiredIsBlockingWhenRefused() {
        let found = check(#"{"exp":1799999880}"#)
        #expect(
            found.count == 1 && found[0].blocking == .authRejected
                && found[0].report.detail.contains("expired 2m0s ago")
        )
        #expect(check(#"{"exp":1799999880}"#, refused: false)[0].report.severity == .warn)
    }

    @Test func serverClockAheadExpiresTheToken() {
        // Valid five minutes by our clock, but the server is ten minutes ahead.
        let found = check(#"{"exp":1800000300}"#, skew: 600_000)
        #expect(found.count == 1 && found[0].blocking == .authRejected)
        #expect(found[0].report.detail.contains("clock is 10m0s ahead") && found[0].report.fix?.contains("NTP") == true)
    }

    @Test func skewAloneIsAWarning() {
        let found = check(#"{"exp":1800003600}"#, skew: -120_000, refused: false)
        #expect(found.count == 1 && found[0].report.severity == .warn && found[0].report.detail.contains("behind"))
    }

    @Test func notBeforeInTheFuture() {
        let found = check(#"{"nbf":1800000600,"exp":1800003600}"#)
        #expect(found.first?.report.detail.contains("not valid before") == true)
    }

    @Test func lifetimeShorterThanTheRoundTrip() {
        let found = check(#"{"exp":1800000001}"#, rtt: 1500)
        #expect(found.first?.report.detail.contains("less than the 1500 ms") == true)
    }

    @Test func audienceMismatch() {
        #expect(
            check(#"{"exp":1800003600,"aud":["a","b"]}"#, audience: "c").first?.report.detail.contains(
                "is for a, b, not for c"
            ) == true
        )
        #expect(check(#"{"exp":1800003600,"aud":"c"}"#, audience: "c").first?.report.severity == .ok)
    }

    @Test func opaqueAndMissingTokensAreFine() {
        #expect(
            TokenCheck(token: Secret("opaque"), now: now, skewMs: nil, roundTripMs: nil, audience: nil, refused: true)
                .findings()[0].report.severity == .ok
        )
        #expect(
            TokenCheck(token: nil, now: now, skewMs: nil, roundTripMs: nil, audience: nil, refused: true).findings()[0]
                .report.severity == .ok
        )
    }
}
