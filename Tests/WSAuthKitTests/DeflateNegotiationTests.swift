import Testing

@testable import WSAuthKit

/// The client's side of RFC 7692 §7.1: what a server may answer to
/// `permessage-deflate; client_max_window_bits`, and what fails the handshake.
@Suite("permessage-deflate negotiation")
struct DeflateNegotiationTests {
    private let key = "dGhlIHNhbXBsZSBub25jZQ=="
    private let accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    private func negotiate(
        offer: [String] = [DeflateParameters.offer],
        answer: [String]
    ) throws(HandshakeError) -> NegotiatedHandshake {
        let request = HandshakeRequest(
            host: "example.com",
            port: nil,
            secure: false,
            resource: "/",
            key: key,
            extensions: offer
        )
        let headers =
            [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", accept)]
            + answer.map { ("Sec-WebSocket-Extensions", $0) }
        let head = HTTPResponseHead(
            version: "HTTP/1.1",
            status: 101,
            reason: "Switching Protocols",
            headers: headers.map { HTTPHeader(name: $0.0, value: $0.1) }
        )
        return try request.validate(head)
    }

    private func expectFailure(
        _ answer: String,
        offer: [String] = [DeflateParameters.offer],
        _ problem: DeflateNegotiationError,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(throws: HandshakeError.invalidDeflateResponse(answer, problem), sourceLocation: sourceLocation) {
            try negotiate(offer: offer, answer: [answer])
        }
    }

    @Test func offerIsSentAsTheHeader() {
        let request = HandshakeRequest(
            host: "h",
            port: nil,
            secure: false,
            resource: "/",
            key: key,
            extensions: [DeflateParameters.offer]
        )
        #expect(
            request.headers.contains {
                $0 == ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")
            }
        )
    }

    @Test func plainAcceptanceUsesDefaults() throws {
        let negotiated = try negotiate(answer: ["permessage-deflate"])
        #expect(negotiated.deflate == DeflateParameters())
        #expect(negotiated.extensions == ["permessage-deflate"])
    }

    @Test func noAcceptanceMeansNoCompression() throws {
        #expect(try negotiate(answer: []).deflate == nil)
    }

    @Test func readsEveryParameter() throws {
        let negotiated = try negotiate(answer: [
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                + "server_max_window_bits=10; client_max_window_bits=9"
        ])
        #expect(
            negotiated.deflate
                == DeflateParameters(
                    serverNoContextTakeover: true,
                    clientNoContextTakeover: true,
                    serverMaxWindowBits: 10,
                    clientMaxWindowBits: 9
                )
        )
    }

    /// websockets' default answer, seen on the wire.
    @Test func pythonWebsocketsDefaultAnswer() throws {
        let negotiated = try negotiate(answer: [
            "permessage-deflate; server_max_window_bits=12; client_max_window_bits=12"
        ])
        #expect(negotiated.deflate == DeflateParameters(serverMaxWindowBits: 12, clientMaxWindowBits: 12))
    }

    @Test func quotedValuesAndSpacingAreAccepted() throws {
        let negotiated = try negotiate(answer: [#"permessage-deflate ;server_max_window_bits = "15""#])
        #expect(negotiated.deflate?.serverMaxWindowBits == 15)
    }

    @Test func answerSplitAcrossHeadersIsOneList() throws {
        #expect(
            try negotiate(answer: ["permessage-deflate; client_no_context_takeover"]).deflate?.clientNoContextTakeover
                == true
        )
    }

    /// RFC 7692 §7.1.1.2 and §7.1.2.1: the server may add these without being asked.
    @Test func serverMayAddUnofferedServerParameters() throws {
        let negotiated = try negotiate(
            offer: ["permessage-deflate"],
            answer: ["permessage-deflate; client_no_context_takeover; server_max_window_bits=8"]
        )
        #expect(negotiated.deflate == DeflateParameters(clientNoContextTakeover: true, serverMaxWindowBits: 8))
    }

    // MARK: Answers that fail the handshake (RFC 7692 §7.1)

    @Test func unknownParameter() {
        expectFailure("permessage-deflate; x-fast", .unknownParameter("x-fast"))
        // Names are exact: the RFC defines them in lower case.
        expectFailure("permessage-deflate; Server_No_Context_Takeover", .unknownParameter("Server_No_Context_Takeover"))
    }

    @Test func duplicateParameter() {
        expectFailure(
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            .duplicateParameter("server_no_context_takeover")
        )
        expectFailure(
            "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
            .duplicateParameter("server_max_window_bits")
        )
    }

    @Test func windowBitsOutOfRangeOrMalformed() throws {
        for value in ["7", "16", "0", "08", "010", "+9", "-9", "9.0", "abc", "99999999999999999999"] {
            expectFailure(
                "permessage-deflate; server_max_window_bits=\(value)",
                .invalidWindowBits(parameter: "server_max_window_bits", value: value)
            )
        }
        expectFailure(
            "permessage-deflate; server_max_window_bits",
            .invalidWindowBits(parameter: "server_max_window_bits", value: nil)
        )
        for bits in 8...15 {
            #expect(
                try negotiate(answer: ["permessage-deflate; server_max_window_bits=\(bits)"]).deflate?
                    .serverMaxWindowBits == bits
            )
        }
    }

    /// The value is optional in the offer but required in the answer (RFC 7692 §7.1.2.2).
    @Test func clientWindowBitsNeedsAValue() {
        expectFailure(
            "permessage-deflate; client_max_window_bits",
            .invalidWindowBits(parameter: "client_max_window_bits", value: nil)
        )
        expectFailure(
            "permessage-deflate; client_max_window_bits=16",
            .invalidWindowBits(parameter: "client_max_window_bits", value: "16")
        )
    }

    @Test func clientWindowBitsOnlyWhenOffered() {
        expectFailure(
            "permessage-deflate; client_max_window_bits=10",
            offer: ["permessage-deflate"],
            .unofferedClientMaxWindowBits
        )
    }

    @Test func noContextTakeoverTakesNoValue() {
        expectFailure(
            "permessage-deflate; client_no_context_takeover=true",
            .unexpectedValue(parameter: "client_no_context_takeover", value: "true")
        )
    }

    @Test func acceptedTwice() {
        #expect(throws: HandshakeError.invalidDeflateResponse("permessage-deflate, permessage-deflate", .acceptedTwice))
        {
            try negotiate(answer: ["permessage-deflate", "permessage-deflate"])
        }
    }

    @Test func malformedElement() {
        expectFailure(#"permessage-deflate; server_max_window_bits="10"#, .malformed)
        expectFailure("permessage-deflate; =10", .malformed)
        expectFailure("permessage-deflate; a b", .malformed)
        expectFailure(#"permessage-deflate; server_max_window_bits="1 0""#, .malformed)
    }

    @Test func failureIsOneLineNamingTheRule() {
        let error = HandshakeError.invalidDeflateResponse("permessage-deflate; x", .unknownParameter("x"))
        #expect(
            error.description
                == #"server accepted permessage-deflate as "permessage-deflate; x": unknown parameter "x" (RFC 7692 §7.1)"#
        )
    }

    @Test func extensionElementGrammar() {
        #expect(ExtensionElement(parsing: #"foo; a; b=1; c="x\"y""#) == nil)  // unescaped value is no token
        #expect(
            ExtensionElement(parsing: #"foo; a; b=1; c="x\yz""#)
                == ExtensionElement(
                    name: "foo",
                    parameters: [
                        .init(name: "a", value: nil), .init(name: "b", value: "1"), .init(name: "c", value: "xyz"),
                    ]
                )
        )
        #expect(ExtensionElement(parsing: #"foo; c="a;b""#) == nil)
        #expect(ExtensionElement(parsing: "") == nil)
        #expect(ExtensionElement(parsing: "foo;") == nil)
    }
}
