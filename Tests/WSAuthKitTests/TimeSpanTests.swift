import Testing

@testable import WSAuthKit

@Suite struct TimeSpanTests {
    @Test(arguments: [("250ms", 0.25), ("10s", 10), ("5m", 300), ("1.5h", 5400), ("7", 7)])
    func parsesUnits(text: String, seconds: Double) throws {
        #expect(try TimeSpan.parse(text).seconds == seconds)
    }

    @Test(arguments: ["-5s", "abc", "5d", ""])
    func rejectsBadDurations(text: String) {
        do throws(Failure) {
            _ = try TimeSpan.parse(text)
            Issue.record("'\(text)' parsed as a duration")
        } catch {
            #expect(error.exitStatus == .usage)
            #expect(error.message.contains("'\(text)'"))
        }
    }

    @Test func badDurationIsUsageError() {
        do throws(Failure) {
            _ = try TimeSpan.parse("-1s")
            Issue.record("expected a failure")
        } catch {
            #expect(error.exitStatus == .usage)
        }
    }
}
