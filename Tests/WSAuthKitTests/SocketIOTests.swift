import Testing

@testable import WSAuthKit

/// Frames captured from python-socketio 5.18.1 / python-engineio 4.15.1 (an
/// aiohttp AsyncServer, raw `websockets` client): the output of
/// `.venv/bin/python Tests/interop/tools/capture_socketio.py`, pasted as printed.
enum Captured {
    static let open =
        #"0{"sid":"xlQ9vusNa6BUgxeiAAAC","upgrades":[],"pingTimeout":20000,"pingInterval":25000,"maxPayload":1000000}"#
    static let openFastPing =
        #"0{"sid":"9m8Ro4PH5ZX3lMmYAAAA","upgrades":[],"pingTimeout":20000,"pingInterval":1000,"maxPayload":1000000}"#
    static let connectError = #"44{"message":"invalid token"}"#
    static let welcome = #"42["welcome",{"user":"alice"}]"#
    static let connected = #"40{"sid":"s97QpiUX0Vy90vvKAAAD"}"#
    static let echoAck = #"430[["hi",{"n":1}]]"#
    static let binaryEvent = #"451-["blob",{"bytes":{"_placeholder":true,"num":0}}]"#
    static let adminConnected = #"40/admin,{"sid":"DA_5W1UZHKTRFB1OAAAE"}"#
    static let adminDisconnect = "41/admin,"
    static let ping = "2"
}

private func text(_ s: String) -> MessagePayload { .text(s) }

private func transmitted(_ actions: [AppAction]) -> [String] {
    actions.compactMap {
        if case .transmit(.text(let s), _) = $0 { return s }
        return nil
    }
}

private func session(
    namespace: String = "/",
    token: String? = "good-token",
    template: String? = nil,
    ack: Bool = false
) throws -> SocketIOProtocol {
    var app = SocketIOProtocol(
        try SocketIOSettings(namespace: namespace, authTemplate: template, ack: ack),
        token: token.map(Secret.init)
    )
    #expect(app.start(now: 0).isEmpty)
    return app
}

@Suite("Socket.IO packet layer")
struct SocketIOTests {
    @Test func parsesTheCapturedOpenPacket() throws {
        let packet = try EngineIOPacket.parse(Captured.open)
        #expect(
            packet
                == .open(
                    EngineIOOpen(
                        sid: "xlQ9vusNa6BUgxeiAAAC",
                        pingInterval: 25000,
                        pingTimeout: 20000,
                        maxPayload: 1_000_000
                    )
                )
        )
    }

    @Test func connectCarriesTheTokenAndConnectErrorIsARejection() throws {
        var app = try session(token: "bad")
        let sent = app.receive(text(Captured.open), now: 1)
        #expect(sent == [.transmit(.text(#"40{"token":"bad"}"#), carriesCredential: true)])
        #expect(app.receive(text(Captured.connectError), now: 2) == [.rejected(message: "invalid token")])
    }

    @Test func eventsBeforeTheConnectAnswerAreDeliveredAfterIt() throws {
        var app = try session()
        _ = app.receive(text(Captured.open), now: 1)
        #expect(app.receive(text(Captured.welcome), now: 2).isEmpty)
        let actions = app.receive(text(Captured.connected), now: 3)
        guard case .accepted(let handshake) = actions.first else {
            Issue.record("\(actions)")
            return
        }
        #expect(handshake.details.first { $0.name == "sid" }?.value == "s97QpiUX0Vy90vvKAAAD")
        #expect(!handshake.details.contains { $0.value.contains("xlQ9vusNa6BUgxeiAAAC") })
        #expect(
            actions.dropFirst().elementsEqual([
                .deliver(
                    AppMessage(
                        text: #"["welcome",{"user":"alice"}]"#,
                        label: "welcome",
                        fields: ["name": .string("welcome")]
                    )
                )
            ])
        )
    }

    @Test func withAckAnEmittedEventCarriesAnAckIdAndItsAckIsDeliveredUncounted() throws {
        var app = try session(ack: true)
        #expect(app.send(#"["echo","hi",{"n":1}]"#, now: 0).isEmpty, "queued until CONNECT is answered")
        _ = app.receive(text(Captured.open), now: 1)
        #expect(transmitted(app.receive(text(Captured.connected), now: 2)) == [#"420["echo","hi",{"n":1}]"#])
        #expect(
            app.receive(text(Captured.echoAck), now: 3)
                == [
                    .deliver(
                        AppMessage(text: #"[["hi",{"n":1}]]"#, label: "ack 0", fields: ["ack": .int(0)], counts: false)
                    )
                ]
        )
        let again = app.receive(text(Captured.echoAck), now: 4)
        if case .notice = again.first, again.count == 1 {} else { Issue.record("a second ACK for id 0: \(again)") }
    }

    @Test func withoutAckAnEmitCarriesNoIdAndAnAckIsNotDelivered() throws {
        var app = try session()
        _ = app.receive(text(Captured.open), now: 1)
        _ = app.receive(text(Captured.connected), now: 2)
        #expect(transmitted(app.send(#"["echo","hi",{"n":1}]"#, now: 3)) == [#"42["echo","hi",{"n":1}]"#])
        let ack = app.receive(text(Captured.echoAck), now: 4)
        if case .notice = ack.first, ack.count == 1 {} else { Issue.record("an ACK nobody asked for: \(ack)") }
    }

    @Test func binaryEventIsDeliveredOnceItsAttachmentsArrived() throws {
        var app = try session()
        _ = app.receive(text(Captured.open), now: 1)
        _ = app.receive(text(Captured.connected), now: 2)
        #expect(app.receive(text(Captured.binaryEvent), now: 3).isEmpty)
        let actions = app.receive(.binary([1, 2, 3]), now: 4)
        guard case .deliver(let message) = actions.first else {
            Issue.record("\(actions)")
            return
        }
        #expect(message.label == "blob")
        #expect(message.fields["attachments"] == .array([.int(3)]))
    }

    @Test func namespaceConnectAndServerDisconnect() throws {
        var app = try session(namespace: "admin", token: nil)
        #expect(transmitted(app.receive(text(Captured.open), now: 1)) == ["40/admin,"])
        if case .accepted = app.receive(text(Captured.adminConnected), now: 2).first {
        } else {
            Issue.record("not accepted")
        }
        #expect(app.receive(text(#"42["other"]"#), now: 3).allSatisfy { if case .notice = $0 { true } else { false } })
        if case .serverEnded = app.receive(text(Captured.adminDisconnect), now: 4).first {
        } else {
            Issue.record("no serverEnded")
        }
    }

    @Test func pingIsAnsweredAndSilenceTimesOut() throws {
        var app = try session()
        _ = app.receive(text(Captured.openFastPing), now: 10)
        _ = app.receive(text(Captured.connected), now: 10)
        #expect(app.nextDeadline == 31)
        #expect(
            app.receive(text(Captured.ping), now: 11) == [
                .keepalive(AppKeepalive(.ping, .in)), .transmit(.text("3"), carriesCredential: false),
                .keepalive(AppKeepalive(.pong, .out)),
            ]
        )
        #expect(app.nextDeadline == 32)
        #expect(app.timerFired(now: 31.9).isEmpty)
        if case .timedOut = app.timerFired(now: 32).first {} else { Issue.record("no timeout") }
        #expect(app.nextDeadline == nil, "no more wake-ups once it has timed out")
    }

    @Test func aServerThatNeverOpensTimesOut() throws {
        var app = try session()
        #expect(app.nextDeadline == 20)
        if case .timedOut(let why) = app.timerFired(now: 20).first {
            #expect(why.contains("open packet"))
        } else {
            Issue.record("no timeout")
        }
    }

    @Test(arguments: [
        "", "x", "0", "0notjson", #"0{"sid":"a"}"#, #"0{"sid":"a","pingInterval":"1","pingTimeout":2}"#,
        "99", "2", #"42["a"]"#,
    ])
    func engineIOGarbageBeforeTheOpenPacketIsAViolation(packet: String) throws {
        var app = try session()
        let result = app.receive(text(packet), now: 1)
        guard case .violation = result.first else {
            Issue.record("\(packet): \(result)")
            return
        }
        #expect(app.receive(text(Captured.open), now: 2).isEmpty, "nothing after a violation")
    }

    @Test(arguments: [
        Captured.open, "4", "4x", "42notjson", #"42{"a":1}"#, "42[]", #"42["connect"]"#, "43[]",
        #"45["a"]"#, "4/admin", #"44[1]"#, "41{}", "40", #"40{"nosid":1}"#,
    ])
    func socketIOGarbageAfterTheOpenPacketIsAViolation(packet: String) throws {
        var app = try session()
        _ = app.receive(text(Captured.open), now: 1)
        let result = app.receive(text(packet), now: 2)
        guard case .violation = result.first else {
            Issue.record("\(packet): \(result)")
            return
        }
        #expect(app.receive(text(Captured.connected), now: 3).isEmpty, "nothing after a violation")
    }

    @Test func binaryMessageThatNoPacketAnnouncedIsAViolation() throws {
        var app = try session()
        _ = app.receive(text(Captured.open), now: 1)
        if case .violation = app.receive(.binary([1]), now: 2).first {
        } else {
            Issue.record("accepted a stray attachment")
        }
    }

    @Test func tokenIsJSONEscapedInTheAuthPayload() throws {
        var app = try session(token: #"a"b\c"#, template: #"{"auth":{"jwt":"{token}"},"v":2}"#)
        #expect(transmitted(app.receive(text(Captured.open), now: 1)) == [#"40{"auth":{"jwt":"a\"b\\c"},"v":2}"#])
    }

    @Test func authTemplateMustBeAJSONObject() {
        #expect(throws: Failure.self) { try SocketIOSettings(authTemplate: "token={token}") }
        #expect(throws: Failure.self) { try SocketIOSettings(namespace: "/a,b") }
        #expect(throws: Never.self) {
            try SocketIOSettings(namespace: "admin", authTemplate: #"{"jwt":"{token}","n":1}"#)
        }
    }

    @Test func aLineThatIsNotAnEventIsANotice() throws {
        var app = try session()
        _ = app.receive(text(Captured.open), now: 1)
        _ = app.receive(text(Captured.connected), now: 2)
        for line in ["hello", #"{"a":1}"#, "[]", "[1]"] {
            let actions = app.send(line, now: 3)
            #expect(transmitted(actions).isEmpty)
            if case .notice = actions.first {} else { Issue.record("\(line): \(actions)") }
        }
    }

    @Test func finishSendsDisconnect() throws {
        var app = try session()
        _ = app.receive(text(Captured.open), now: 1)
        _ = app.receive(text(Captured.connected), now: 2)
        #expect(app.finish(now: 3) == [.transmit(.text("41"), carriesCredential: false), .closeWebSocket])
    }

    @Test(arguments: [
        ("https://example.com", "wss://example.com/socket.io/?EIO=4&transport=websocket"),
        ("http://127.0.0.1:8080?room=a", "ws://127.0.0.1:8080/socket.io/?room=a&EIO=4&transport=websocket"),
        ("wss://example.com/chat/socket.io/", "wss://example.com/chat/socket.io/?EIO=4&transport=websocket"),
        ("ws://h/socket.io/?EIO=4&transport=websocket", "ws://h/socket.io/?EIO=4&transport=websocket"),
    ])
    func urlGetsTheEngineIOPathAndQuery(input: String, expected: String) throws {
        #expect(try SocketIOURL.resolve(input).description == expected)
    }
}

@Suite("Socket.IO in the REPL")
struct SocketIOCommandTests {
    @Test(arguments: [
        (#"chat {"text":"hi"}"#, #"["chat",{"text":"hi"}]"#),
        ("chat 1, \"two\", [3]", #"["chat",1,"two",[3]]"#),
        ("chat hello there", #"["chat","hello there"]"#),
        ("  ping  ", #"["ping"]"#),
    ])
    func emitBuildsTheEventArray(arguments: String, line: String) {
        #expect(SocketIOCommand.emitLine(arguments) == line)
    }

    @Test func emitWithoutAnEventNameIsNothing() {
        #expect(SocketIOCommand.emitLine("   ") == nil)
    }

    @Test func eventsAndAcksReadAsNameAndArguments() {
        let event = AppMessage(
            text: #"["welcome",{"user":"alice"}]"#,
            label: "welcome",
            fields: ["name": .string("welcome")]
        )
        #expect(SocketIOCommand.shown(event) == #"welcome [{"user":"alice"}]"#)
        let ack = AppMessage(text: #"[["hi"]]"#, label: "ack 0", fields: ["ack": .int(0)])
        #expect(SocketIOCommand.shown(ack) == #"ack 0 [["hi"]]"#)
    }
}

@Suite("Audit verdicts at the app handshake")
struct AppAuditRuleTests {
    @Test func aCredentialTheAppAcceptsIsAFailAndOneItRefusesAPass() {
        let report = FakeProbe.report(HandshakePlan(url: try! WebSocketURL.parse("ws://127.0.0.1:9/socket.io/")))
        #expect(AuditRules.mustRefuse(.appAccepted(report, app: "socketio"), "a forged token").verdict == .fail)
        #expect(
            AuditRules.mustRefuse(.appRefused(report, app: "socketio", message: "invalid token"), "a forged token")
                .verdict == .pass
        )
        #expect(ProbeOutcome.appAccepted(report, app: "socketio").admission == .letIn)
        #expect(ProbeOutcome.appRefused(report, app: "socketio", message: "no").admission == .refused)
    }
}
