import Testing

@testable import WSAuthKit

@Suite("UTF-8 validator")
struct UTF8ValidatorTests {
    private func isValid(_ bytes: [UInt8]) -> Bool {
        var validator = UTF8Validator()
        return validator.feed(bytes) && validator.isAtBoundary
    }

    @Test(arguments: [
        "", "Hello", "κόσμε", "Ünïcödé and ASCII that runs past eight bytes", "日本語のテキスト", "🙂 emoji 𝄞",
        String(repeating: "a", count: 1000) + "é",
    ])
    func acceptsWellFormedText(text: String) {
        #expect(isValid(Array(text.utf8)))
    }

    @Test func acceptsTheBoundariesOfTable3_7() {
        for bytes in [
            hex("00"), hex("7f"), hex("c2 80"), hex("df bf"), hex("e0 a0 80"), hex("ed 9f bf"), hex("ee 80 80"),
            hex("ef bf bf"), hex("f0 90 80 80"), hex("f4 8f bf bf"),
        ] {
            #expect(isValid(bytes), "\(bytes)")
        }
    }

    /// Markus Kuhn's UTF-8 decoder stress test, sections 3–5 (and Autobahn case 6).
    @Test(arguments: [
        ("lone continuation bytes", hex("80")),
        ("continuation run", hex("80 bf 80 bf")),
        ("lone start byte then space", hex("c0 20")),
        ("C0/C1 can only be overlong", hex("c1 bf")),
        ("overlong slash, 2 bytes", hex("c0 af")),
        ("overlong slash, 3 bytes", hex("e0 80 af")),
        ("overlong slash, 4 bytes", hex("f0 80 80 af")),
        ("overlong U+07FF", hex("e0 9f bf")),
        ("overlong U+FFFF", hex("f0 8f bf bf")),
        ("overlong NUL", hex("c0 80")),
        ("5-byte form", hex("f8 88 80 80 80")),
        ("6-byte form", hex("fc 84 80 80 80 80")),
        ("fe", hex("fe")),
        ("ff", hex("ff")),
        ("high surrogate U+D800", hex("ed a0 80")),
        ("low surrogate U+DFFF", hex("ed bf bf")),
        ("surrogate pair", hex("ed a0 80 ed b0 80")),
        ("above U+10FFFF", hex("f4 90 80 80")),
        ("F5 start byte", hex("f5 80 80 80")),
        ("truncated 2-byte after text", Array("κόσμε".utf8) + hex("ce")),
        ("truncated 3-byte", hex("e2 82")),
        ("truncated 4-byte", hex("f0 9f 99")),
        ("start byte followed by ASCII", hex("e2 41 42")),
        ("invalid after a long ASCII run", Array(repeating: 0x41, count: 64) + hex("ff")),
    ])
    func rejectsMalformedSequences(name: String, bytes: [UInt8]) {
        #expect(!isValid(bytes), "\(name)")
    }

    @Test func failsAtTheFirstImpossibleByte() {
        // "κόσμε" then F4 90: no continuation can rescue it, so feed fails right there.
        var validator = UTF8Validator()
        #expect(validator.feed(Array("κόσμε".utf8) + hex("f4")) == true)
        #expect(validator.feed(hex("90")) == false)
        #expect(validator.feed(Array("fine".utf8)) == false)
    }

    @Test func truncatedInputIsAPrefixButNotABoundary() {
        var validator = UTF8Validator()
        #expect(validator.feed(hex("f0 9f")) == true)
        #expect(!validator.isAtBoundary)
        #expect(validator.feed(hex("99 82")) == true)
        #expect(validator.isAtBoundary)
    }

    @Test func acceptsACodePointSplitAtEveryByte() {
        let bytes = Array("a🙂b€c".utf8)
        for split in 0...bytes.count {
            var validator = UTF8Validator()
            #expect(validator.feed(bytes[..<split]) == true)
            #expect(validator.feed(bytes[split...]) == true)
            #expect(validator.isAtBoundary, "split at \(split)")
        }
    }

    @Test func acceptsNonContiguousSequences() {
        var validator = UTF8Validator()
        #expect(validator.feed(Array("é".utf8).lazy.map { $0 }) == true)
        #expect(validator.isAtBoundary)
        #expect(validator.feed(hex("ff").lazy.map { $0 }) == false)
    }

    @Test func resetForgetsAFailure() {
        var validator = UTF8Validator()
        #expect(validator.feed(hex("ff")) == false)
        #expect(!validator.isAtBoundary)
        validator.reset()
        #expect(validator.feed(Array("ok".utf8)) == true)
        #expect(validator.isAtBoundary)
    }
}
