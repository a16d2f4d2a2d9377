import Testing

@testable import WSAuthKit

@Suite struct TOMLSubsetTests {
    private func parse(_ text: String) throws -> TOMLSubset.Tables {
        try TOMLSubset.parse(text)
    }

    private func failure(_ text: String) -> TOMLSubset.ParseError? {
        do {
            _ = try TOMLSubset.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTablesScalarsArraysAndComments() throws {
        let tables = try parse(
            """
            # a comment line
            top = "level"   # a trailing comment

            [profiles.default]
            login_url = "http://a/login"
            port = -8_080
            ratio = 1.5
            big = 1e3
            form = true
            shown = false
            codes = [
                4001,   # auth
                4003,
            ]
            names = ['one', "two"]
            empty = []

            [profiles."with space"]
            "quoted key" = 'C:\\no\\escapes'
            """
        )
        #expect(tables[[]]?["top"] == .string("level"))
        let profile = try #require(tables[["profiles", "default"]])
        #expect(profile["login_url"] == .string("http://a/login"))
        #expect(profile["port"] == .integer(-8080))
        #expect(profile["ratio"] == .double(1.5))
        #expect(profile["big"] == .double(1000))
        #expect(profile["form"] == .bool(true))
        #expect(profile["shown"] == .bool(false))
        #expect(profile["codes"] == .array([.integer(4001), .integer(4003)]))
        #expect(profile["names"] == .array([.string("one"), .string("two")]))
        #expect(profile["empty"] == .array([]))
        #expect(tables[["profiles", "with space"]]?["quoted key"] == .string(#"C:\no\escapes"#))
        #expect(tables[["profiles"]] == [:])
    }

    @Test func basicStringEscapes() throws {
        let tables = try parse(#"s = "tab\there \"q\" \\ \u00e9 \U0001F600 # not a comment""#)
        #expect(tables[[]]?["s"] == .string("tab\there \"q\" \\ é 😀 # not a comment"))
    }

    @Test func dottedKeysAndCRLF() throws {
        let tables = try parse("[profiles]\r\nstaging.ws_url = \"ws://x/\"\r\n")
        #expect(tables[["profiles", "staging"]]?["ws_url"] == .string("ws://x/"))
    }

    @Test(
        arguments: [
            ("a = 1\nb = = 2\n", 2, "expected a value"),
            ("a = 1\na = 2\n", 2, "defined twice"),
            ("[t]\nx = 1\n[t]\n", 3, "defined twice"),
            ("a = \"open\n", 1, "not closed"),
            ("\n\nwhen = 1979-05-27\n", 3, "dates"),
            ("t = { a = 1 }\n", 1, "inline tables"),
            ("[[items]]\n", 1, "arrays of tables"),
            ("s = \"\"\"x\"\"\"\n", 1, "multi-line"),
            ("a = [1, 2\n", 2, "not closed"),
            ("a = [1 2]\n", 1, "',' or ']'"),
            ("a = bare\n", 1, "quoted"),
            ("a = 1 b = 2\n", 1, "end of the line"),
            ("a = 1\n[a.b]\n", 2, "is a value"),
            ("x = \"\\q\"\n", 1, "escape"),
            ("x = \"bell\u{07}\"\n", 1, "control character"),
            ("= 1\n", 1, "expected a key"),
        ] as [(String, Int, String)]
    )
    func refusesWithLineAndReason(text: String, line: Int, reason: String) throws {
        let error = try #require(failure(text))
        #expect(error.line == line)
        #expect(error.message.contains(reason), "\(error.message)")
    }
}
