import Testing

@testable import WSAuthKit

/// Packets captured from Mosquitto 2.0.11 over its websockets listener
/// (Tests/interop/peers/mosquitto.py, user alice, ACL chat/# read-write).
private enum Mosquitto {
    static func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map { offset in
            let start = text.index(text.startIndex, offsetBy: offset)
            return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    static let connack311 = hex("20020000")
    static let connackRefused311 = hex("20020005")
    static let suback311 = hex("9003000100")
    static let publish311 = hex("30100009636861742f726f6f6d68656c6c6f")
    static let publishQoS1Binary311 = hex("300d0009636861742f726f6f6dfffe")
    static let pingresp = hex("d000")
    /// 5.0: CONNACK with properties (Receive Maximum? no: 0x22 Topic Alias Maximum 10, 0x21 Receive Maximum 20).
    static let connack5 = hex("200900000622000a210014")
    static let connackRefused5 = hex("2003008700")
    static let suback5 = hex("900400010000")
    static let publish5 = hex("30110009636861742f726f6f6d0068656c6c6f")
}

private func binary(_ actions: [AppAction]) -> [[UInt8]] {
    actions.compactMap {
        if case .transmit(.binary(let bytes), _) = $0 { return bytes }
        return nil
    }
}

private func session(
    _ version: MQTTVersion = .v311,
    subscribe: [String] = [],
    destination: String? = nil,
    qos: Int = 0,
    keepAlive: Double = 30,
    user: String? = nil,
    password: Secret? = nil,
    template: String? = nil,
    token: String? = "tok"
) throws -> MQTTProtocol {
    let settings = try MQTTSettings(
        version: version,
        clientID: "cid",
        keepAlive: keepAlive,
        qos: qos,
        subscriptions: subscribe,
        destination: destination,
        user: user,
        password: password,
        authTemplate: template
    )
    return MQTTProtocol(settings, token: token.map(Secret.init), handshakeTimeout: 10)
}

@Suite("MQTT packets")
struct MQTTPacketTests {
    @Test func capturedServerPacketsParse() throws {
        var v311 = MQTTParser(version: .v311)
        #expect(try v311.feed(Mosquitto.connack311) == [.connack(sessionPresent: false, code: 0, reasonString: nil)])
        #expect(try v311.feed(Mosquitto.suback311) == [.suback(packetID: 1, codes: [0])])
        #expect(
            try v311.feed(Mosquitto.publish311) == [
                .publish(topic: "chat/room", qos: 0, packetID: nil, retain: false, payload: Array("hello".utf8))
            ]
        )
        #expect(try v311.feed(Mosquitto.pingresp) == [.pingresp])
        var v5 = MQTTParser(version: .v5)
        #expect(try v5.feed(Mosquitto.connack5) == [.connack(sessionPresent: false, code: 0, reasonString: nil)])
        #expect(
            try v5.feed(Mosquitto.connackRefused5) == [.connack(sessionPresent: false, code: 0x87, reasonString: nil)]
        )
        #expect(
            try v5.feed(Mosquitto.publish5) == [
                .publish(topic: "chat/room", qos: 0, packetID: nil, retain: false, payload: Array("hello".utf8))
            ]
        )
    }

    @Test func packetsSpanningAndSharingMessagesAreReassembled() throws {
        var parser = MQTTParser(version: .v311)
        let both = Mosquitto.suback311 + Mosquitto.publish311
        #expect(try parser.feed(Array(both[..<7])) == [.suback(packetID: 1, codes: [0])])
        #expect(try parser.feed(Array(both[7...])).count == 1)
    }

    @Test func aConnectCarriesVersionFlagsKeepAliveAndCredentials() {
        let v311 = MQTTEncoder.connect(.init(version: .v311, clientID: "c", keepAlive: 30, user: "u", password: "p"))
        #expect(
            v311 == [0x10, 0x13, 0, 4] + Array("MQTT".utf8) + [4, 0xC2, 0, 30, 0, 1, 0x63, 0, 1, 0x75, 0, 1, 0x70]
        )
        let v5 = MQTTEncoder.connect(.init(version: .v5, clientID: "c", keepAlive: 30, user: nil, password: nil))
        #expect(v5 == [0x10, 0x0E, 0, 4] + Array("MQTT".utf8) + [5, 0x02, 0, 30, 0, 0, 1, 0x63])
    }

    @Test(
        arguments: [
            [0x00, 0x00], [0x20, 0x01, 0x00], [0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], [0x90, 0x02, 0x00, 0x01],
        ] as [[UInt8]]
    )
    func malformedPacketsAreErrorsNotCrashes(bytes: [UInt8]) {
        var parser = MQTTParser(version: .v5)
        #expect(throws: MQTTMalformed.self) { _ = try parser.feed(bytes) }
    }

    @Test func aVariableByteIntegerRoundTrips() throws {
        for value in [0, 127, 128, 16_383, 16_384, 2_097_151, 268_435_455] {
            var reader = MQTTReader(MQTTEncoder.variableInteger(value))
            #expect(try reader.variableInteger() == value)
        }
    }
}

@Suite("MQTT session")
struct MQTTProtocolTests {
    @Test func theTokenIsThePasswordAndTheUserItsSubElseWsauth() throws {
        // {"sub":"alice"} as a JWT payload; the signature does not matter here.
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln"
        var app = try session(token: jwt)
        let connect = binary(app.start(now: 0))[0]
        var reader = MQTTReader(Array(connect.dropFirst(2)))
        _ = try reader.string()
        #expect(try reader.byte() == 4 && reader.byte() == 0xC2)
        _ = try reader.u16()
        #expect(try reader.string() == "cid" && reader.string() == "alice" && reader.string() == jwt)
        #expect(try MQTTSettings(clientID: "c").credentials(token: Secret("opaque")) == ("wsauth", "opaque"))
        #expect(
            try MQTTSettings(clientID: "c", authTemplate: "username:{token}").credentials(token: Secret("t")) == (
                "t", nil
            )
        )
        #expect(
            try MQTTSettings(clientID: "c", user: "bob", password: Secret("pw")).credentials(token: Secret("t")) == (
                "bob", "pw"
            )
        )
        #expect(try MQTTSettings(clientID: "c").credentials(token: nil) == (nil, nil))
    }

    @Test func aCONNACKAcceptsAndQueuedLinesArePublishedAfterTheSUBACKs() throws {
        var app = try session(subscribe: ["chat/#"], destination: "chat/room")
        _ = app.start(now: 0)
        #expect(app.send("early", now: 0.1).isEmpty)
        let subscribe = app.receive(.binary(Mosquitto.connack311), now: 0.2)
        #expect(binary(subscribe) == [MQTTEncoder.subscribe(id: 1, topic: "chat/#", qos: 0, version: .v311)])
        let opened = app.receive(.binary(Mosquitto.suback311), now: 0.3)
        guard case .accepted(let handshake) = opened.first else {
            Issue.record("\(opened)")
            return
        }
        #expect(handshake.details.map(\.value) == ["3.1.1", "cid", "chat/#"])
        #expect(
            binary(opened) == [
                MQTTEncoder.publish(topic: "chat/room", qos: 0, id: nil, payload: Array("early".utf8), version: .v311)
            ]
        )
        #expect(
            app.receive(.binary(Mosquitto.publish311), now: 1)
                == [.deliver(AppMessage(text: "hello", label: "chat/room", fields: ["topic": .string("chat/room")]))]
        )
    }

    @Test func aQoS1PublishIsAcknowledgedAndABinaryPayloadStaysBinary() throws {
        var app = try session()
        _ = app.start(now: 0)
        _ = app.receive(.binary(Mosquitto.connack311), now: 0.1)
        let qos1 = MQTTEncoder.packet(0x32, MQTTEncoder.string("chat/room") + [0, 7] + [0xFF, 0xFE])
        let actions = app.receive(.binary(qos1), now: 1)
        #expect(
            actions == [
                .deliver(
                    AppMessage(
                        text: "binary 2 bytes",
                        label: "chat/room",
                        fields: ["topic": .string("chat/room"), "qos": .int(1)],
                        bytes: [0xFF, 0xFE]
                    )
                ),
                .transmit(.binary([0x40, 0x02, 0, 7]), carriesCredential: false),
            ]
        )
    }

    @Test(arguments: [
        (MQTTVersion.v311, Mosquitto.connackRefused311, "CONNACK 0x05 Connection Refused, not authorized"),
        (.v5, Mosquitto.connackRefused5, "CONNACK 0x87 Not authorized"),
    ])
    func refusedCredentialsAreARejection(version: MQTTVersion, connack: [UInt8], message: String) throws {
        var app = try session(version)
        _ = app.start(now: 0)
        #expect(app.receive(.binary(connack), now: 1) == [.rejected(message: message)])
    }

    @Test func anotherRefusalIsAProtocolError() throws {
        var app = try session(.v5)
        _ = app.start(now: 0)
        #expect(
            app.receive(.binary([0x20, 0x03, 0x00, 0x85, 0x00]), now: 1) == [
                .protocolError("CONNACK 0x85 Client Identifier not valid")
            ]
        )
    }

    @Test func aRefusedSubscriptionIsARejectionNamingTheTopic() throws {
        var app = try session(subscribe: ["chat/a", "secret/x"])
        _ = app.start(now: 0)
        _ = app.receive(.binary(Mosquitto.connack311), now: 0.1)
        #expect(app.receive(.binary(Mosquitto.suback311), now: 0.2).isEmpty, "one of two SUBACKs")
        #expect(
            app.receive(.binary([0x90, 0x03, 0x00, 0x02, 0x80]), now: 0.3)
                == [.rejected(message: "the subscription to secret/x was refused: SUBACK 0x80 Unspecified error")]
        )
    }

    @Test func keepalivesArePINGREQsAndAMissingPINGRESPIsADrop() throws {
        var app = try session(keepAlive: 2)
        _ = app.start(now: 0)
        _ = app.receive(.binary(Mosquitto.connack311), now: 0.1)
        #expect(app.nextDeadline == 2)
        #expect(
            app.timerFired(now: 2) == [
                .transmit(.binary([0xC0, 0x00]), carriesCredential: false), .keepalive(AppKeepalive(.ping, .out)),
            ]
        )
        #expect(app.receive(.binary(Mosquitto.pingresp), now: 2.1) == [.keepalive(AppKeepalive(.pong, .in))])
        _ = app.timerFired(now: 4)
        guard case .timedOut(let why) = app.timerFired(now: 6).first else {
            Issue.record("no drop")
            return
        }
        #expect(why.contains("PINGRESP"))
    }

    @Test(arguments: [
        (UInt8(0x87), AppDisconnectOutcome.refused), (0x8C, .refused), (0xA0, .renew), (0x8B, .final),
        (0x8E, .final), (0x98, .final), (0x00, .final),
    ])
    func aServerDisconnectEndsTheSessionWithItsReason(code: UInt8, outcome: AppDisconnectOutcome) throws {
        var app = try session(.v5)
        _ = app.start(now: 0)
        _ = app.receive(.binary(Mosquitto.connack5), now: 0.1)
        let reason = MQTTEncoder.string("token expired")
        let actions = app.receive(
            .binary(MQTTEncoder.packet(0xE0, [code, UInt8(reason.count + 1), 0x1F] + reason)),
            now: 1
        )
        let described = MQTTReasonCode.describe(code, version: .v5)
        #expect(
            actions == [
                .serverDisconnected(
                    reasonCode: described,
                    message: "DISCONNECT \(described) (token expired)",
                    outcome: outcome
                )
            ]
        )
    }

    @Test func aDropAfterCONNACKIsBlamedOnTheTokenAndOneBeforeIsNot() throws {
        var app = try session(.v5)
        _ = app.start(now: 0)
        #expect(app.dropCause("reset") == nil)
        _ = app.receive(.binary(Mosquitto.connack5), now: 0.1)
        #expect(app.dropCause("reset") == "the MQTT connection ended without DISCONNECT: reset")
        // No PINGRESP ends the session itself; the drop is still one to refresh for.
        _ = app.timerFired(now: 30)
        _ = app.timerFired(now: 60)
        #expect(app.dropCause("no PINGRESP") == "the MQTT connection ended without DISCONNECT: no PINGRESP")
    }

    @Test func leavingIsDISCONNECTThenClose() throws {
        var app = try session(.v5)
        _ = app.start(now: 0)
        _ = app.receive(.binary(Mosquitto.connack5), now: 0.1)
        #expect(
            app.finish(now: 1) == [.transmit(.binary([0xE0, 0x01, 0x00]), carriesCredential: false), .closeWebSocket]
        )
    }

    @Test func replSubscribeAndCompleteAreSUBSCRIBEAndUNSUBSCRIBE() throws {
        var app = try session(.v5, qos: 1)
        _ = app.start(now: 0)
        _ = app.receive(.binary(Mosquitto.connack5), now: 0.1)
        #expect(
            binary(app.command(.subscribe("news/#"), now: 1)) == [
                MQTTEncoder.subscribe(id: 1, topic: "news/#", qos: 1, version: .v5)
            ]
        )
        #expect(
            binary(app.command(.complete("news/#"), now: 2)) == [
                MQTTEncoder.unsubscribe(id: 2, topic: "news/#", version: .v5)
            ]
        )
        #expect(app.receive(.binary([0xB0, 0x02, 0x00, 0x02]), now: 3) == [.notice("unsubscribed from news/#")])
    }

    @Test func aTextMessageIsAViolation() throws {
        var app = try session()
        _ = app.start(now: 0)
        guard case .violation = app.receive(.text("hi"), now: 1).first else {
            Issue.record("accepted text")
            return
        }
    }

    @Test func badFlagsAreUsageErrors() {
        #expect(throws: Failure.self) { try MQTTSettings(qos: 2) }
        #expect(throws: Failure.self) { try MQTTSettings(destination: "a/+") }
        #expect(throws: Failure.self) { try MQTTSettings(authTemplate: "token:{token}") }
        #expect(throws: Failure.self) { try MQTTSettings(keepAlive: 70_000) }
    }

    @Test func aReconnectTakesOverTheTopicsTheREPLAddedLessTheOnesItEnded() throws {
        var first = try session(subscribe: ["chat/room"])
        _ = first.start(now: 0)
        _ = first.receive(.binary(Mosquitto.connack311), now: 0.1)
        _ = first.receive(.binary(Mosquitto.suback311), now: 0.2)
        #expect(binary(first.command(.subscribe("news/#"), now: 1)).count == 1)
        _ = first.receive(.binary([0x90, 0x03, 0x00, 0x02, 0x00]), now: 1.1)
        _ = first.command(.complete("chat/room"), now: 2)
        // A /subscribe the broker has not yet SUBACKed is not carried over.
        _ = first.command(.subscribe("never/acked"), now: 3)

        var second = try session(subscribe: ["chat/room"])
        second.takeOver(from: first)
        _ = second.start(now: 10)
        #expect(
            binary(second.receive(.binary(Mosquitto.connack311), now: 10.1)) == [
                MQTTEncoder.subscribe(id: 1, topic: "news/#", qos: 0, version: .v311)
            ]
        )
        guard case .accepted(let handshake)? = second.receive(.binary(Mosquitto.suback311), now: 10.2).first
        else {
            Issue.record("not accepted")
            return
        }
        #expect(handshake.details.last?.value == "news/#")
    }
}

@Test func mqttACloseBeforeCONNACKIsARefusalAndAfterItADrop() throws {
    var app = MQTTProtocol(try MQTTSettings(clientID: "c"), token: Secret("t"))
    _ = app.start(now: 0)
    #expect(
        app.closeVerdict(code: 1000, reason: "")
            == .refused("the broker closed the connection before CONNACK (close 1000)")
    )
    _ = app.receive(.binary([0x20, 0x02, 0x00, 0x00]), now: 1)
    #expect(
        app.closeVerdict(code: 1000, reason: "")
            == .ended("the broker closed the connection without DISCONNECT (close 1000)")
    )
    _ = app.finish(now: 2)
    #expect(app.closeVerdict(code: 1000, reason: "") == nil, "our own DISCONNECT went first")
}
