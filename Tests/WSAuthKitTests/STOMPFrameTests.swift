import Testing

@testable import WSAuthKit

/// Frames as the STOMP 1.2 specification writes them (stomp.github.io/stomp-specification-1.2.html).
private func parse(_ text: String) throws(STOMPFrameError) -> [STOMPItem] {
    try STOMPParser.parse(Array(text.utf8))
}

@Test func stompParsesTheSpecsConnectedFrame() throws {
    let items = try parse("CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\u{0}")
    #expect(items == [.frame(STOMPFrame("CONNECTED", [.init("version", "1.2"), .init("heart-beat", "0,0")]))])
}

@Test func stompAcceptsCRLFLinesAndTrailingEOLs() throws {
    let items = try parse("MESSAGE\r\ndestination:/queue/a\r\n\r\nhello\u{0}\r\n\n")
    #expect(items == [.frame(STOMPFrame("MESSAGE", [.init("destination", "/queue/a")], body: Array("hello".utf8)))])
}

@Test func stompEOLAloneIsAHeartBeat() throws {
    #expect(try parse("\n") == [.heartBeat])
    #expect(try parse("\r\n") == [.heartBeat])
}

@Test func stompUnescapesHeadersExceptInConnected() throws {
    let message = try parse("MESSAGE\nfoo:a\\cb\\nc\\\\d\\r\n\n\u{0}")
    #expect(message == [.frame(STOMPFrame("MESSAGE", [.init("foo", "a:b\nc\\d\r")]))])
    let connected = try parse("CONNECTED\nserver:a\\cb\n\n\u{0}")
    #expect(connected == [.frame(STOMPFrame("CONNECTED", [.init("server", "a\\cb")]))])
}

@Test func stompUndefinedEscapeIsAnError() {
    #expect(throws: STOMPFrameError.undefinedEscape("\\t")) { try parse("MESSAGE\nfoo:a\\tb\n\n\u{0}") }
}

@Test func stompRepeatedHeaderFirstWins() throws {
    guard case .frame(let frame) = try parse("MESSAGE\nfoo:World\nfoo:Hello\n\n\u{0}").first else {
        Issue.record("no frame")
        return
    }
    #expect(frame["foo"] == "World")
}

@Test func stompContentLengthAllowsNULInTheBody() throws {
    let bytes = Array("MESSAGE\ncontent-length:3\n\n".utf8) + [0x61, 0x00, 0x62, 0x00]
    #expect(
        try STOMPParser.parse(bytes) == [
            .frame(STOMPFrame("MESSAGE", [.init("content-length", "3")], body: [0x61, 0, 0x62]))
        ]
    )
}

@Test func stompGrammarViolationsAreTypedErrors() {
    #expect(throws: STOMPFrameError.missingNUL) { try parse("MESSAGE\n\nno terminator") }
    #expect(throws: STOMPFrameError.missingNUL) { try parse("MESSAGE\nfoo:bar") }
    #expect(throws: STOMPFrameError.headerWithoutColon("nocolon")) { try parse("MESSAGE\nnocolon\n\n\u{0}") }
    #expect(throws: STOMPFrameError.badContentLength("x")) { try parse("MESSAGE\ncontent-length:x\n\n\u{0}") }
    #expect(throws: STOMPFrameError.badContentLength("99")) { try parse("MESSAGE\ncontent-length:99\n\nab\u{0}") }
    #expect(throws: STOMPFrameError.bodyLongerThanContentLength) { try parse("MESSAGE\ncontent-length:1\n\nab\u{0}") }
    #expect(throws: STOMPFrameError.badCommand("garbage")) { try parse("garbage\n\n\u{0}") }
    #expect(throws: STOMPFrameError.missingNUL) { try STOMPParser.parse(Array("\n".utf8) + [0x00]) }
    #expect(throws: STOMPFrameError.badCommand("\u{FFFD}")) { try STOMPParser.parse([0xFF, 0x0A, 0x0A, 0x00]) }
}

@Test func stompSeveralFramesInOneMessage() throws {
    let items = try parse("RECEIPT\nreceipt-id:1\n\n\u{0}\nRECEIPT\nreceipt-id:2\n\n\u{0}")
    #expect(items.count == 2)
}

@Test func stompEncodesWithEscapesContentLengthAndNUL() throws {
    let frame = STOMPFrame("SEND", [.init("destination", "/queue/a:b")], body: Array("hi".utf8))
    #expect(
        String(decoding: frame.encoded(), as: UTF8.self)
            == "SEND\ndestination:/queue/a\\cb\ncontent-length:2\n\nhi\u{0}"
    )
    let connect = STOMPFrame("CONNECT", [.init("Authorization", "Bearer a:b")])
    #expect(String(decoding: connect.encoded(), as: UTF8.self) == "CONNECT\nAuthorization:Bearer a:b\n\n\u{0}")
    #expect(
        try STOMPParser.parse(frame.encoded()) == [
            .frame(
                STOMPFrame(
                    "SEND",
                    [.init("destination", "/queue/a:b"), .init("content-length", "2")],
                    body: Array("hi".utf8)
                )
            )
        ]
    )
}

/// Found by the fuzzer: "\r\n" is one Swift Character, and escaping by Character let it through raw.
@Test func stompEscapesACRLFInAValue() throws {
    let frame = STOMPFrame("SEND", [.init("destination", "a\r\nb")])
    #expect(String(decoding: frame.encoded(), as: UTF8.self) == "SEND\ndestination:a\\r\\nb\n\n\u{0}")
    #expect(try STOMPParser.parse(frame.encoded()) == [.frame(frame)])
}
