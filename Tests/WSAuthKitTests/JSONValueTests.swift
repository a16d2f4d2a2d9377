import Testing

@testable import WSAuthKit

@Suite("JSON parser")
struct JSONValueTests {
    /// Found by Fuzz/FuzzJSON: a number past Double's range parsed as infinity, which
    /// prints as null, so a claim such as "exp": 1e999 changed value on its way out.
    @Test(arguments: [
        "[0,-0,0.1,1e3081234567890123456789012345678901234567890,5e-324]", "1e309", "-1e309", #"{"exp":1E999}"#,
    ])
    func numbersPastDoubleRangeAreRefused(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        do {
            _ = try JSONValue.parse(text)
        } catch {
            #expect(error.reason == "number out of range")
        }
    }

    @Test func largestAndSmallestDoublesRoundTrip() throws {
        for text in ["1.7976931348623157e+308", "-1.7976931348623157e+308", "5e-324", "1e-400"] {
            let value = try JSONValue.parse(text)
            #expect(try JSONValue.parse(value.serialized()) == value, "\(text)")
        }
    }
}
