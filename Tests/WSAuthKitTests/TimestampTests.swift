#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing
@testable import WSAuthKit

@Suite("Timestamps")
struct TimestampTests {
    @Test func formatsRFC3339WithMilliseconds() {
        #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: 784_111_777.5)) == "1994-11-06T08:49:37.500Z")
    }

    @Test func parsesIMFFixdate() {
        #expect(Timestamp.parseHTTPDate("Sun, 06 Nov 1994 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(Timestamp.parseHTTPDate("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(Timestamp.parseHTTPDate("Sun, 06 Nov 99999999999999 08:49:37 GMT") == nil)
        #expect(Timestamp.parseHTTPDate("Sun, 06 Nov 1994 99:49:37 GMT") == nil)
    }

    /// A token endpoint may answer `expires_in: 1e300`: formatting must not trap.
    @Test(arguments: [1e300, -1e300, Double.infinity, -Double.infinity])
    func clampsDatesNoCalendarCanShow(seconds: Double) {
        let text = Timestamp.rfc3339(Date(timeIntervalSince1970: seconds))
        #expect(text.hasSuffix("Z"))
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
