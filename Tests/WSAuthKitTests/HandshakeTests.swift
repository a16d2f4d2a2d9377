import Testing

@testable import WSAuthKit

@Suite("Opening handshake")
struct HandshakeTests {
    /// RFC 6455 §1.3's example key, so that the expected accept is the RFC's.
    private let sampleKey = "dGhlIHNhbXBsZSBub25jZQ=="
    private let sampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    private func request(
        subprotocols: [String] = [],
        extensions: [String] = [],
        extraHeaders: [(name: String, value: String)] = []
    ) -> HandshakeRequest {
        HandshakeRequest(
            host: "example.com",
            port: nil,
            secure: false,
            resource: "/chat",
            key: sampleKey,
            subprotocols: subprotocols,
            extensions: extensions,
            extraHeaders: extraHeaders
        )
    }

    private func response(status: Int = 101, _ headers: [(String, String)]) -> HTTPResponseHead {
        HTTPResponseHead(
            version: "HTTP/1.1",
            status: status,
            reason: "Switching Protocols",
            headers: headers.map { HTTPHeader(name: $0.0, value: $0.1) }
        )
    }

    private var goodHeaders: [(String, String)] {
        [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", sampleAccept)]
    }

    // MARK: Key and accept

    @Test func acceptValueMatchesRFC6455Section1_3() {
        #expect(WebSocketAccept.value(forKey: sampleKey) == sampleAccept)
    }

    @Test func madeKeysAreSixteenRandomBytes() {
        let keys = (0..<4).map { _ in WebSocketAccept.makeKey() }
        for key in keys { #expect(Base64.decode(key)?.count == 16) }
        #expect(Set(keys).count == keys.count)
    }

    // MARK: Request

    @Test func requestHasTheRFCHeadersInOrder() {
        let request = HandshakeRequest(
            host: "example.com",
            port: 8080,
            secure: false,
            resource: "/chat?x=1",
            key: sampleKey,
            subprotocols: ["chat", "superchat"],
            origin: "http://example.com",
            extensions: ["permessage-deflate; client_max_window_bits"],
            extraHeaders: [(name: "Authorization", value: "Bearer abc")]
        )
        #expect(request.requestLine == "GET /chat?x=1 HTTP/1.1")
        let expected: [(String, String)] = [
            ("Host", "example.com:8080"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", sampleKey), ("Sec-WebSocket-Version", "13"),
            ("Sec-WebSocket-Protocol", "chat, superchat"),
            ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
            ("Origin", "http://example.com"), ("Authorization", "Bearer abc"),
        ]
        #expect(request.headers.map(\.name) == expected.map(\.0))
        #expect(request.headers.map(\.value) == expected.map(\.1))
        #expect(request.expectedAccept == sampleAccept)
    }

    @Test func optionalHeadersAreLeftOutAndEmptyResourceIsSlash() {
        let request = HandshakeRequest(host: "h", port: 80, secure: false, resource: "", key: sampleKey)
        #expect(request.requestLine == "GET / HTTP/1.1")
        #expect(
            request.headers.map(\.name) == [
                "Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
            ]
        )
    }

    @Test func hostOmitsTheSchemeDefaultPortAndBracketsIPv6() {
        func host(_ host: String, _ port: Int?, secure: Bool) -> String? {
            HandshakeRequest(host: host, port: port, secure: secure, resource: "/").headers.first?.value
        }
        #expect(host("a.test", 443, secure: true) == "a.test")
        #expect(host("a.test", 80, secure: true) == "a.test:80")
        #expect(host("a.test", 80, secure: false) == "a.test")
        #expect(host("a.test", 443, secure: false) == "a.test:443")
        #expect(host("a.test", nil, secure: true) == "a.test")
        #expect(host("::1", 9000, secure: false) == "[::1]:9000")
        #expect(host("[::1]", nil, secure: false) == "[::1]")
    }

    @Test func extraHeadersReplaceOursInPlaceCaseInsensitively() {
        let request = request(extraHeaders: [
            (name: "host", value: "other.test"), (name: "X-Trace", value: "1"),
            (name: "sec-websocket-version", value: "8"), (name: "Host", value: "third.test"),
        ])
        #expect(
            request.headers.map(\.name) == [
                "host", "Upgrade", "Connection", "Sec-WebSocket-Key", "sec-websocket-version", "X-Trace", "Host",
            ]
        )
        #expect(
            request.headers.map(\.value) == ["other.test", "websocket", "Upgrade", sampleKey, "8", "1", "third.test"]
        )
    }

    @Test func anEmptyExtraHeaderRemovesOurs() {
        let request = request(extraHeaders: [(name: "Sec-WebSocket-Version", value: "")])
        #expect(!request.headers.contains { $0.name == "Sec-WebSocket-Version" })
    }

    @Test func overriddenKeyAndProtocolsAreWhatValidationUses() throws {
        let otherKey = "AAAAAAAAAAAAAAAAAAAAAA=="
        let request = request(
            subprotocols: ["a"],
            extraHeaders: [
                (name: "Sec-WebSocket-Key", value: otherKey),
                (name: "Sec-WebSocket-Protocol", value: "b"),
            ]
        )
        #expect(request.expectedAccept == WebSocketAccept.value(forKey: otherKey))
        let head = response([
            ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Accept", WebSocketAccept.value(forKey: otherKey)), ("Sec-WebSocket-Protocol", "b"),
        ])
        #expect(try request.validate(head).subprotocol == "b")
    }

    @Test func serializesWithCRLF() {
        let request = HandshakeRequest(host: "h", port: nil, secure: true, resource: "/", key: sampleKey)
        let text = String(decoding: request.serialized(), as: UTF8.self)
        #expect(
            text == "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: \(sampleKey)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
    }

    // MARK: Validation (RFC 6455 §4.1)

    @Test func acceptsAValidAnswer() throws {
        #expect(try request().validate(response(goodHeaders)) == NegotiatedHandshake(subprotocol: nil, extensions: []))
    }

    @Test func tokensAreCaseInsensitiveAndMayBeInLists() throws {
        let head = response([
            ("UPGRADE", "WebSocket"), ("connection", "keep-alive, UPGRADE"), ("sec-websocket-accept", sampleAccept),
        ])
        #expect(try request().validate(head).subprotocol == nil)
    }

    @Test func statusOtherThan101IsRefused() {
        #expect(throws: HandshakeError.notSwitchingProtocols(status: 401)) {
            try request().validate(response(status: 401, goodHeaders))
        }
        #expect(throws: HandshakeError.notSwitchingProtocols(status: 200)) {
            try request().validate(response(status: 200, goodHeaders))
        }
    }

    @Test func upgradeMustNameWebsocket() {
        #expect(throws: HandshakeError.missingUpgradeHeader(found: nil)) {
            try request().validate(response([("Connection", "Upgrade"), ("Sec-WebSocket-Accept", sampleAccept)]))
        }
        #expect(throws: HandshakeError.missingUpgradeHeader(found: "h2c")) {
            try request().validate(
                response([("Upgrade", "h2c"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", sampleAccept)])
            )
        }
    }

    @Test func connectionMustNameUpgrade() {
        #expect(throws: HandshakeError.missingConnectionUpgrade(found: "keep-alive")) {
            try request().validate(
                response([
                    ("Upgrade", "websocket"), ("Connection", "keep-alive"), ("Sec-WebSocket-Accept", sampleAccept),
                ])
            )
        }
        #expect(throws: HandshakeError.missingConnectionUpgrade(found: nil)) {
            try request().validate(response([("Upgrade", "websocket"), ("Sec-WebSocket-Accept", sampleAccept)]))
        }
    }

    @Test func acceptMustMatchExactly() {
        #expect(throws: HandshakeError.acceptMismatch(expected: sampleAccept, received: nil)) {
            try request().validate(response([("Upgrade", "websocket"), ("Connection", "Upgrade")]))
        }
        let lowercased = sampleAccept.lowercased()
        #expect(throws: HandshakeError.acceptMismatch(expected: sampleAccept, received: lowercased)) {
            try request().validate(
                response([("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", lowercased)])
            )
        }
    }

    @Test func extensionsMustHaveBeenOffered() throws {
        #expect(throws: HandshakeError.unrequestedExtension("permessage-deflate")) {
            try request().validate(response(goodHeaders + [("Sec-WebSocket-Extensions", "permessage-deflate")]))
        }
        let offered = request(extensions: ["permessage-deflate; client_max_window_bits", "x-other"])
        let head = response(
            goodHeaders + [("Sec-WebSocket-Extensions", "permessage-deflate; server_max_window_bits=10")]
        )
        #expect(try offered.validate(head).extensions == ["permessage-deflate; server_max_window_bits=10"])
        #expect(throws: HandshakeError.unrequestedExtension("x-unknown; a=\"1,2\"")) {
            try offered.validate(
                response(goodHeaders + [("Sec-WebSocket-Extensions", "x-other, x-unknown; a=\"1,2\"")])
            )
        }
    }

    @Test func subprotocolMustBeOneThatWasOffered() throws {
        let offered = request(subprotocols: ["graphql-ws", "graphql-transport-ws"])
        #expect(
            try offered.validate(response(goodHeaders + [("Sec-WebSocket-Protocol", "graphql-transport-ws")]))
                == NegotiatedHandshake(subprotocol: "graphql-transport-ws", extensions: [])
        )
        #expect(throws: HandshakeError.unrequestedSubprotocol("GRAPHQL-WS")) {
            try offered.validate(response(goodHeaders + [("Sec-WebSocket-Protocol", "GRAPHQL-WS")]))
        }
        #expect(throws: HandshakeError.unrequestedSubprotocol("chat")) {
            try request().validate(response(goodHeaders + [("Sec-WebSocket-Protocol", "chat")]))
        }
    }

    @Test func severalSubprotocolsAreRefused() {
        let offered = request(subprotocols: ["a", "b"])
        #expect(throws: HandshakeError.unrequestedSubprotocol("a, b")) {
            try offered.validate(response(goodHeaders + [("Sec-WebSocket-Protocol", "a, b")]))
        }
        #expect(throws: HandshakeError.unrequestedSubprotocol("a, b")) {
            try offered.validate(
                response(goodHeaders + [("Sec-WebSocket-Protocol", "a"), ("Sec-WebSocket-Protocol", "b")])
            )
        }
    }

    @Test func errorsDescribeThemselvesOnOneLine() {
        let errors: [HandshakeError] = [
            .malformedResponse("x"), .headTooLarge(10), .notSwitchingProtocols(status: 403),
            .missingUpgradeHeader(found: nil), .missingConnectionUpgrade(found: "close"),
            .acceptMismatch(expected: "a", received: "b"), .acceptMismatch(expected: "a", received: nil),
            .unrequestedSubprotocol("a, b"), .unrequestedSubprotocol("a"), .unrequestedExtension("x"),
        ]
        let descriptions = errors.map(\.description)
        #expect(Set(descriptions).count == errors.count)
        for description in descriptions { #expect(!description.contains("\n")) }
        #expect(
            HandshakeError.notSwitchingProtocols(status: 403).description
                == "server answered HTTP 403 instead of 101 Switching Protocols"
        )
        #expect(HandshakeError.unrequestedSubprotocol("a, b").description.contains("several"))
    }
}

@Suite("Response head parser")
struct ResponseHeadParserTests {
    private let answer = Array(
        ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n").utf8
    )

    @Test func parsesAHead() throws {
        var parser = ResponseHeadParser()
        parser.append(answer)
        let (head, remainder) = try #require(try parser.parse())
        #expect(head.version == "HTTP/1.1")
        #expect(head.status == 101)
        #expect(head.reason == "Switching Protocols")
        #expect(head.headers.count == 5)
        #expect(head.value("sec-websocket-accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(head.values("SET-COOKIE") == ["a=1", "b=2"])
        #expect(head.value("X-Missing") == nil)
        #expect(remainder.isEmpty)
    }

    @Test func waitsForTheBlankLineWhateverTheSplit() throws {
        let frame = hex("81 02 68 69")
        let bytes = answer + frame
        for split in 0...bytes.count {
            var parser = ResponseHeadParser()
            parser.append(Array(bytes[..<split]))
            var result = try parser.parse()
            if split < answer.count {
                #expect(result == nil, "split at \(split)")
                parser.append(Array(bytes[split...]))
                result = try parser.parse()
            }
            let (head, remainder) = try #require(result, "split at \(split)")
            #expect(head.status == 101)
            #expect(head.headers.count == 5)
            // Whatever followed the head when it completed, and nothing the parser kept.
            let arrived = split < answer.count ? bytes.count : split
            #expect(remainder == Array(bytes[answer.count..<arrived]), "split at \(split)")
        }
    }

    @Test func keepsTheBytesAfterTheHead() throws {
        var parser = ResponseHeadParser()
        parser.append(Array("HTTP/1.1 401 Unauthorized\r\nContent-Length: 5\r\n\r\nnope!".utf8))
        let (head, remainder) = try #require(try parser.parse())
        #expect(head.status == 401)
        #expect(head.reason == "Unauthorized")
        #expect(remainder == Array("nope!".utf8))
    }

    @Test func acceptsBareLineFeedsAndMissingReason() throws {
        var parser = ResponseHeadParser()
        parser.append(Array("HTTP/1.0 101\nUpgrade:websocket\n\nX".utf8))
        let (head, remainder) = try #require(try parser.parse())
        #expect(head.version == "HTTP/1.0")
        #expect(head.reason == "")
        #expect(head.headers == [HTTPHeader(name: "Upgrade", value: "websocket")])
        #expect(remainder == Array("X".utf8))
    }

    @Test func foldsObsoleteLineContinuations() throws {
        var parser = ResponseHeadParser()
        parser.append(Array("HTTP/1.1 101 OK\r\nX-Long: one\r\n  two\r\n\tthree\r\nY: z  \r\n\r\n".utf8))
        let (head, _) = try #require(try parser.parse())
        #expect(
            head.headers == [HTTPHeader(name: "X-Long", value: "one two three"), HTTPHeader(name: "Y", value: "z")]
        )
    }

    @Test(arguments: [
        ("SSH-2.0-OpenSSH\r\n\r\n", "status line is not HTTP: \"SSH-2.0-OpenSSH\""),
        ("HTTP/1.1 1O1 Switching\r\n\r\n", "invalid status code in \"HTTP/1.1 1O1 Switching\""),
        ("HTTP/1.1 +01 Switching\r\n\r\n", "invalid status code in \"HTTP/1.1 +01 Switching\""),
        ("HTTP/1.1 101 OK\r\nno colon here\r\n\r\n", "header line without a colon: \"no colon here\""),
        ("HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n", "invalid header name in \"Upgrade : websocket\""),
        ("HTTP/1.1 101 OK\r\n folded first\r\n\r\n", "continuation line before any header: \" folded first\""),
    ])
    func refusesGarbage(text: String, message: String) {
        var parser = ResponseHeadParser()
        parser.append(Array(text.utf8))
        #expect(throws: HandshakeError.malformedResponse(message)) { try parser.parse() }
    }

    @Test func escapesControlCharactersInErrors() {
        var parser = ResponseHeadParser()
        parser.append([0x16, 0x03, 0x01, 0x0A, 0x0A])
        #expect(throws: HandshakeError.malformedResponse("status line is not HTTP: \"\\u{16}\\u{03}\\u{01}\"")) {
            try parser.parse()
        }
    }

    @Test func refusesAnEndlessHead() throws {
        var parser = ResponseHeadParser(maxHeadSize: 64)
        parser.append(Array("HTTP/1.1 101 OK\r\n".utf8))
        #expect(try parser.parse() == nil)
        parser.append(Array(repeating: UInt8(ascii: "a"), count: 100))
        #expect(throws: HandshakeError.headTooLarge(64)) { try parser.parse() }
    }

    @Test func refusesAHeadThatEndsPastTheLimit() {
        var parser = ResponseHeadParser(maxHeadSize: 20)
        parser.append(Array("HTTP/1.1 101 OK\r\nA: b\r\n\r\n".utf8))
        #expect(throws: HandshakeError.headTooLarge(20)) { try parser.parse() }
    }
}
