import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("Timestamps")
struct TimestampTests {
    @Test func formatsRFC3339WithMilliseconds() {
        #expect(Timestamp.rfc3339(Timestamp(timeIntervalSince1970: 784_111_777.5)) == "1994-11-06T08:49:37.500Z")
    }

    @Test func parsesIMFFixdate() {
        let expected = Timestamp(timeIntervalSince1970: 784_111_777)
        #expect(Timestamp.parseHTTPDate("Sun, 06 Nov 1994 08:49:37 GMT") == expected)
        #expect(Timestamp.parseHTTPDate("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(Timestamp.parseHTTPDate("Sun, 06 Nov 99999999999999 08:49:37 GMT") == nil)
        #expect(Timestamp.parseHTTPDate("Sun, 06 Nov 1994 99:49:37 GMT") == nil)
    }

    /// A token endpoint may answer `expires_in: 1e300`: formatting must not trap.
    @Test(arguments: [1e300, -1e300, Double.infinity, -Double.infinity])
    func clampsDatesNoCalendarCanShow(seconds: Double) {
        let text = Timestamp.rfc3339(Timestamp(timeIntervalSince1970: seconds))
        #expect(text.hasSuffix("Z"))
    }

    @Test func doesDatesArithmetic() {
        let start = Timestamp(timeIntervalSince1970: 1_000)
        #expect(start.addingTimeInterval(60).timeIntervalSince(start) == 60)
        #expect(start.addingTimeInterval(-0.5).timeIntervalSince1970 == 999.5)
        #expect(start < start.addingTimeInterval(0.001))
        #expect(!(start < start))
    }

    /// The wall clock, not the monotonic one: Foundation's `Date()` (which the client used
    /// before it linked no Foundation) agrees with it.
    @Test func readsTheWallClock() {
        let foundations = Date().timeIntervalSince1970
        #expect(abs(Timestamp.now.timeIntervalSince1970 - foundations) < 1)
        #expect(Timestamp(timeIntervalSince1970: foundations + 3600).timeIntervalSinceNow > 3590)
    }

    @Test func formatsAbsurdSpansWithoutTrapping() {
        #expect(TimeSpan.format(seconds: 1e300).hasSuffix("h"))
        #expect(TimeSpan.format(seconds: -Double.infinity).hasSuffix("0ms"))
    }

    @Test func refusesDurationsPastTheLongest() {
        #expect(throws: Failure.self) { try TimeSpan.parse("1e300s") }
        #expect((try? TimeSpan.parse("1.5h"))?.seconds == 5400)
    }

    @Test func escapesOnlyWhatJSONNeeds() {
        #expect(JSONValue.string("plain base64+/=").serialized() == #""plain base64+/=""#)
        #expect(JSONValue.string("a\"b\\c\n").serialized() == #""a\"b\\c\n""#)
    }
}
