import Testing

@testable import WSAuthKit

/// Every frame a client-role connection queued, unmasked by a server-role decoder (which
/// also proves each one was masked).
private func sentFrames(_ connection: inout WebSocketConnection) throws -> [Frame] {
    var decoder = FrameDecoder(role: connection.role == .client ? .server : .client, maxFrameSize: 1 << 30)
    decoder.append(connection.takeOutbound())
    var frames: [Frame] = []
    while let frame = try decoder.next() { frames.append(frame) }
    return frames
}

@Suite("Connection state machine")
struct ConnectionTests {
    private func closeFrame(_ code: UInt16, _ reason: String = "") -> Frame {
        Frame(opcode: .close, payload: closeBody(code, reason))
    }

    /// Feeds `bytes` to a fresh client and checks the violation, the close it queued in
    /// return, and the state it left.
    private func expectViolation(
        _ bytes: [UInt8],
        _ expected: ProtocolViolation,
        code: UInt16,
        maxMessageSize: Int = 1 << 20,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var connection = WebSocketConnection(maxMessageSize: maxMessageSize)
        let events = connection.receive(bytes)
        #expect(events.last == .protocolViolation(expected), sourceLocation: sourceLocation)
        #expect(expected.closeCode.rawValue == code, sourceLocation: sourceLocation)
        #expect(try sentFrames(&connection) == [closeFrame(code)], sourceLocation: sourceLocation)
        #expect(connection.sentCloseCode?.rawValue == code, sourceLocation: sourceLocation)
        #expect(connection.failure == expected, sourceLocation: sourceLocation)
        #expect(connection.state == .closeSent, sourceLocation: sourceLocation)
    }

    // MARK: Messages

    @Test func deliversTextAndBinary() {
        var connection = WebSocketConnection()
        let events = connection.receive(hex("81 05 48 65 6c 6c 6f") + serverFrame(.binary, [1, 2, 3]))
        #expect(events == [.text("Hello"), .binary([1, 2, 3])])
        #expect(!connection.hasOutbound)
    }

    @Test func reassemblesFragmentsWithControlFramesBetween() throws {
        var connection = WebSocketConnection()
        let events = connection.receive(
            hex("01 03 48 65 6c") + serverFrame(.ping, Array("p".utf8)) + serverFrame(.continuation, [0x6c], fin: false)
                + serverFrame(.pong, []) + serverFrame(.continuation, [0x6f])
        )
        #expect(events == [.ping(Array("p".utf8)), .pong([]), .text("Hello")])
        #expect(try sentFrames(&connection) == [Frame(opcode: .pong, payload: Array("p".utf8))])
    }

    @Test func reassemblesBinaryAcrossReceiveCalls() {
        var connection = WebSocketConnection()
        #expect(connection.receive(serverFrame(.binary, [1, 2], fin: false)).isEmpty)
        #expect(connection.receive(serverFrame(.continuation, [], fin: false)).isEmpty)
        #expect(connection.receive(serverFrame(.continuation, [3])) == [.binary([1, 2, 3])])
    }

    @Test func emptyMessages() {
        var connection = WebSocketConnection()
        #expect(connection.receive(serverFrame(.text, []) + serverFrame(.binary, [])) == [.text(""), .binary([])])
    }

    @Test func utf8SplitAcrossFragmentsAndReceiveCalls() {
        let bytes = Array("€𝄞é".utf8)
        for split in 0...bytes.count {
            var connection = WebSocketConnection()
            let first = serverFrame(.text, Array(bytes[..<split]), fin: false)
            let second = serverFrame(.continuation, Array(bytes[split...]))
            let wire = first + second
            var events: [ConnectionEvent] = []
            for cut in [1, first.count, first.count + 1] {
                connection = WebSocketConnection()
                events = connection.receive(Array(wire[..<cut])) + connection.receive(Array(wire[cut...]))
                #expect(events == [.text("€𝄞é")], "split \(split), cut \(cut)")
            }
        }
    }

    @Test func receivesFromARawBuffer() {
        var connection = WebSocketConnection()
        let events = hex("81 02 68 69").withUnsafeBytes { connection.receive($0) }
        #expect(events == [.text("hi")])
    }

    // MARK: Ping and pong

    @Test func pingIsAnsweredWithTheSamePayload() throws {
        var connection = WebSocketConnection()
        #expect(connection.receive(hex("89 05 48 65 6c 6c 6f")) == [.ping(Array("Hello".utf8))])
        #expect(connection.hasOutbound)
        #expect(try sentFrames(&connection) == [Frame(opcode: .pong, payload: Array("Hello".utf8))])
        #expect(!connection.hasOutbound)
    }

    @Test func clientMasksWithAFreshKeyEachFrame() throws {
        var connection = WebSocketConnection()
        connection.sendBinary(Array(repeating: 0, count: 8))
        connection.sendBinary(Array(repeating: 0, count: 8))
        let wire = connection.takeOutbound()
        #expect(wire.count == 2 * 14)
        #expect(wire[1] == 0x88 && wire[15] == 0x88)
        // A zero payload shows the key itself; two random 32-bit keys collide 1 in 2^32.
        #expect(Array(wire[2..<6]) != Array(wire[16..<20]))
        #expect(Array(wire[6..<14]) == Array(wire[2..<6]) + Array(wire[2..<6]))
    }

    @Test func serverRoleDoesNotMask() {
        var connection = WebSocketConnection(role: .server)
        connection.sendText("Hello")
        #expect(connection.takeOutbound() == hex("81 05 48 65 6c 6c 6f"))
    }

    @Test func serverRoleRejectsUnmaskedFrames() throws {
        var connection = WebSocketConnection(role: .server)
        #expect(connection.receive(hex("81 05 48 65 6c 6c 6f")) == [.protocolViolation(.unmaskedFrameFromClient)])
        #expect(connection.takeOutbound() == hex("88 02 03 ea"))
        #expect(connection.receive(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")).isEmpty)
    }

    // MARK: Sending

    @Test func sendsEachKindOfFrame() throws {
        var connection = WebSocketConnection()
        #expect(connection.sendText("hé") == true)
        #expect(connection.sendBinary([9]) == true)
        #expect(connection.sendPing([1]) == true)
        #expect(connection.sendPing() == true)
        #expect(connection.sendPong([2]) == true)
        #expect(
            try sentFrames(&connection) == [
                Frame(opcode: .text, payload: Array("hé".utf8)), Frame(opcode: .binary, payload: [9]),
                Frame(opcode: .ping, payload: [1]), Frame(opcode: .ping, payload: []),
                Frame(opcode: .pong, payload: [2]),
            ]
        )
    }

    @Test func controlPayloadsOver125BytesAreRefused() {
        var connection = WebSocketConnection()
        #expect(connection.sendPing(Array(repeating: 1, count: 125)) == true)
        _ = connection.takeOutbound()
        #expect(connection.sendPing(Array(repeating: 1, count: 126)) == false)
        #expect(connection.sendPong(Array(repeating: 1, count: 126)) == false)
        #expect(!connection.hasOutbound)
    }

    @Test func closeReasonIsCutAtACharacterBoundary() throws {
        var connection = WebSocketConnection()
        // 61 two-byte characters = 122 bytes, then a three-byte one that would make 125.
        let reason = String(repeating: "é", count: 61) + "€" + "tail"
        #expect(connection.close(code: .goingAway, reason: reason) == true)
        let frames = try sentFrames(&connection)
        #expect(frames == [closeFrame(1001, String(repeating: "é", count: 61))])
    }

    @Test func closeWithoutACodeSendsAnEmptyBody() throws {
        var connection = WebSocketConnection()
        #expect(connection.close(code: nil, reason: "dropped: needs a code") == true)
        #expect(try sentFrames(&connection) == [Frame(opcode: .close, payload: [])])
        #expect(connection.sentCloseCode == nil)
        #expect(connection.state == .closeSent)
    }

    @Test func nothingIsSentAfterOurClose() {
        var connection = WebSocketConnection()
        #expect(connection.close(code: .normalClosure, reason: "bye") == true)
        _ = connection.takeOutbound()
        #expect(connection.sendText("late") == false)
        #expect(connection.sendBinary([1]) == false)
        #expect(connection.sendPing() == false)
        #expect(connection.sendPong([]) == false)
        #expect(connection.close(code: .goingAway) == false)
        #expect(!connection.hasOutbound)
        #expect(connection.sentCloseCode == .normalClosure)
    }

    // MARK: Closing handshake

    @Test func peerInitiatedCloseIsEchoed() throws {
        var connection = WebSocketConnection()
        let events = connection.receive(serverFrame(.close, closeBody(4001, "token expired")))
        #expect(events == [.closeReceived(code: 4001, reason: "token expired")])
        #expect(try sentFrames(&connection) == [closeFrame(4001)])
        #expect(connection.state == .closed)
        #expect(connection.sentCloseCode == 4001)
        #expect(connection.closeInitiator == .server)
    }

    @Test func emptyCloseIsEchoedEmpty() throws {
        var connection = WebSocketConnection()
        #expect(connection.receive(hex("88 00")) == [.closeReceived(code: nil, reason: "")])
        #expect(connection.takeOutbound().count == 6)  // header + masking key, no body
        #expect(connection.state == .closed)
        #expect(connection.sentCloseCode == nil)
    }

    @Test func ourCloseIsCompletedByThePeers() throws {
        var connection = WebSocketConnection()
        connection.close(code: .normalClosure)
        #expect(try sentFrames(&connection) == [closeFrame(1000)])
        #expect(connection.state == .closeSent)
        #expect(connection.closeInitiator == .client)
        // Data still in flight from the peer is delivered; its ping is not answered.
        let events = connection.receive(
            serverFrame(.text, Array("last".utf8)) + serverFrame(.ping, [])
                + serverFrame(.close, closeBody(1000)) + serverFrame(.text, Array("after".utf8))
        )
        #expect(events == [.text("last"), .ping([]), .closeReceived(code: .normalClosure, reason: "")])
        #expect(connection.state == .closed)
        #expect(!connection.hasOutbound)
        #expect(connection.receive(serverFrame(.text, Array("more".utf8))).isEmpty)
    }

    @Test func closeDropsAPartialMessage() {
        var connection = WebSocketConnection()
        let events = connection.receive(serverFrame(.text, Array("par".utf8), fin: false) + serverFrame(.close, []))
        #expect(events == [.closeReceived(code: nil, reason: "")])
    }

    @Test(
        arguments: [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]
            as [UInt16]
    )
    func validCloseCodesAreAccepted(code: UInt16) {
        var connection = WebSocketConnection()
        #expect(
            connection.receive(serverFrame(.close, closeBody(code))) == [
                .closeReceived(code: CloseCode(code), reason: "")
            ]
        )
    }

    @Test(arguments: [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] as [UInt16])
    func invalidCloseCodesFailWith1002(code: UInt16) throws {
        var connection = WebSocketConnection()
        #expect(
            connection.receive(serverFrame(.close, closeBody(code))) == [.protocolViolation(.invalidCloseCode(code))]
        )
        #expect(try sentFrames(&connection) == [closeFrame(1002)])
        // The peer has closed already: there is nothing left to wait for.
        #expect(connection.state == .closed)
    }

    @Test func oneByteCloseBodyFailsWith1002() throws {
        var connection = WebSocketConnection()
        #expect(connection.receive(hex("88 01 03")) == [.protocolViolation(.closePayloadTooShort)])
        #expect(try sentFrames(&connection) == [closeFrame(1002)])
    }

    @Test func invalidCloseReasonFailsWith1007() throws {
        var connection = WebSocketConnection()
        let events = connection.receive(serverFrame(.close, closeBody(1000) + hex("ce ba e1 bd b9 ed a0 80")))
        #expect(events == [.protocolViolation(.invalidUTF8InCloseReason)])
        #expect(try sentFrames(&connection) == [closeFrame(1007)])
        #expect(connection.state == .closed)
    }

    @Test func invalidCloseAfterOurCloseQueuesNothingMore() {
        var connection = WebSocketConnection()
        connection.close(code: .normalClosure)
        _ = connection.takeOutbound()
        #expect(connection.receive(hex("88 02 03 ed")) == [.protocolViolation(.invalidCloseCode(1005))])
        #expect(!connection.hasOutbound)
        #expect(connection.state == .closed)
    }

    // MARK: Violations

    @Test func reservedBitFailsWith1002() throws {
        try expectViolation(hex("c1 00"), .reservedBitsSet(rsv1: true, rsv2: false, rsv3: false), code: 1002)
    }

    @Test func unknownOpcodeFailsWith1002() throws {
        try expectViolation(hex("83 00"), .unknownOpcode(3), code: 1002)
    }

    @Test func maskedServerFrameFailsWith1002() throws {
        try expectViolation(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), .maskedFrameFromServer, code: 1002)
    }

    @Test func fragmentedPingFailsWith1002() throws {
        try expectViolation(hex("09 00"), .fragmentedControlFrame(.ping), code: 1002)
    }

    @Test func longPingFailsWith1002() throws {
        try expectViolation(hex("89 7e 00 7e"), .controlFrameTooLong(.ping, length: 126), code: 1002)
    }

    @Test func topBitLengthFailsWith1002() throws {
        try expectViolation(hex("82 7f 80 00 00 00 00 00 00 01"), .lengthTopBitSet, code: 1002)
    }

    @Test func continuationWithoutStartFailsWith1002() throws {
        try expectViolation(serverFrame(.continuation, [1]), .continuationWithoutStart, code: 1002)
    }

    @Test func newMessageInsideAFragmentedOneFailsWith1002() throws {
        try expectViolation(
            serverFrame(.text, [0x61], fin: false) + serverFrame(.binary, [1]),
            .dataFrameInsideFragmentedMessage(.binary),
            code: 1002
        )
    }

    @Test func invalidUTF8FailsWith1007() throws {
        try expectViolation(
            serverFrame(.text, hex("ce ba e1 bd b9 ed a0 80 65 64 69 74 65 64")),
            .invalidUTF8InText,
            code: 1007
        )
    }

    @Test func invalidUTF8FailsFastInTheFirstFragment() throws {
        var connection = WebSocketConnection()
        // The message is not finished, but "ed a0" can never become valid.
        let events = connection.receive(serverFrame(.text, hex("68 ed a0"), fin: false))
        #expect(events == [.protocolViolation(.invalidUTF8InText)])
        #expect(try sentFrames(&connection) == [closeFrame(1007)])
    }

    @Test func truncatedUTF8AtTheEndOfAMessageFailsWith1007() throws {
        try expectViolation(
            serverFrame(.text, hex("68 e2 82"), fin: false) + serverFrame(.continuation, []),
            .invalidUTF8InText,
            code: 1007
        )
    }

    @Test func oversizedFrameFailsWith1009BeforeItsPayloadArrives() throws {
        try expectViolation(
            hex("82 7e 04 01"),
            .messageTooBig(size: 1025, limit: 1024),
            code: 1009,
            maxMessageSize: 1024
        )
    }

    @Test func oversizedReassembledMessageFailsWith1009() throws {
        var connection = WebSocketConnection(maxMessageSize: 1024)
        #expect(connection.receive(serverFrame(.binary, Array(repeating: 0, count: 1000), fin: false)).isEmpty)
        #expect(connection.receive(serverFrame(.continuation, Array(repeating: 0, count: 24), fin: false)).isEmpty)
        let events = connection.receive(hex("00 01"))
        #expect(events == [.protocolViolation(.messageTooBig(size: 1025, limit: 1024))])
        #expect(try sentFrames(&connection) == [closeFrame(1009)])
    }

    @Test func messageOfExactlyTheLimitIsAccepted() {
        var connection = WebSocketConnection(maxMessageSize: 1024)
        let events = connection.receive(
            serverFrame(.binary, Array(repeating: 0, count: 1000), fin: false)
                + serverFrame(.ping, Array(repeating: 1, count: 125))
                + serverFrame(.continuation, Array(repeating: 0, count: 24))
        )
        #expect(events == [.ping(Array(repeating: 1, count: 125)), .binary(Array(repeating: 0, count: 1024))])
    }

    @Test func afterAMessageViolationOnlyACloseIsProcessed() throws {
        var connection = WebSocketConnection()
        let events = connection.receive(
            serverFrame(.continuation, [1]) + serverFrame(.text, Array("ignored".utf8)) + serverFrame(.ping, [7])
                + serverFrame(.close, closeBody(1002))
        )
        #expect(
            events == [.protocolViolation(.continuationWithoutStart), .closeReceived(code: .protocolError, reason: "")]
        )
        #expect(try sentFrames(&connection) == [closeFrame(1002)])
        #expect(connection.state == .closed)
        #expect(connection.closeInitiator == .client)
    }

    @Test func afterAFramingViolationNothingMoreIsRead() throws {
        var connection = WebSocketConnection()
        #expect(connection.receive(hex("83 00") + serverFrame(.close, [])) == [.protocolViolation(.unknownOpcode(3))])
        #expect(connection.receive(serverFrame(.close, [])).isEmpty)
        #expect(try sentFrames(&connection) == [closeFrame(1002)])
        #expect(connection.state == .closeSent)
    }

    @Test func violationAfterOurCloseQueuesNoSecondClose() {
        var connection = WebSocketConnection()
        connection.close(code: .normalClosure)
        _ = connection.takeOutbound()
        #expect(connection.receive(serverFrame(.continuation, [1])) == [.protocolViolation(.continuationWithoutStart)])
        #expect(!connection.hasOutbound)
        #expect(connection.sentCloseCode == .normalClosure)
    }

    @Test func violationsDescribeThemselvesOnOneLowercaseLine() {
        let all: [ProtocolViolation] = [
            .reservedBitsSet(rsv1: true, rsv2: false, rsv3: false),
            .reservedBitsSet(rsv1: false, rsv2: true, rsv3: true),
            .unknownOpcode(3), .maskedFrameFromServer, .unmaskedFrameFromClient, .fragmentedControlFrame(.ping),
            .controlFrameTooLong(.close, length: 200), .continuationWithoutStart,
            .dataFrameInsideFragmentedMessage(.text), .invalidUTF8InText, .invalidUTF8InCloseReason,
            .invalidCloseCode(1005), .closePayloadTooShort, .messageTooBig(size: 2, limit: 1), .lengthTopBitSet,
        ]
        #expect(Set(all.map(\.description)).count == all.count)
        for violation in all {
            #expect(!violation.description.contains("\n"))
            #expect(violation.description.first?.isLowercase == true, "\(violation)")
        }
        #expect(all[0].description == "peer sent a frame with reserved bit RSV1 set (no negotiated extension uses it)")
        #expect(
            all[1].description
                == "peer sent a frame with reserved bits RSV2, RSV3 set (no negotiated extension uses it)"
        )
    }
}
