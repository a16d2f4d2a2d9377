import Testing

@testable import WSAuthKit

// Frames as Action Cable 6.1 (Debian's ruby-actioncable on puma) sent them to
// wsauth in Tests/interop/test_actioncable.py.
private let welcome = #"{"type":"welcome"}"#
private let ping = #"{"type":"ping","message":1796661441}"#
private let unauthorized = #"{"type":"disconnect","reason":"unauthorized","reconnect":false}"#
private let expired = #"{"type":"disconnect","reason":"token_expired","reconnect":true}"#
private let chat = #"{\"channel\":\"ChatChannel\"}"#
private let confirmChat = #"{"identifier":"{\"channel\":\"ChatChannel\"}","type":"confirm_subscription"}"#
private let rejectAdmin = #"{"identifier":"{\"channel\":\"AdminChannel\"}","type":"reject_subscription"}"#
private let spoken = #"{"identifier":"{\"channel\":\"ChatChannel\"}","message":{"from":"alice","text":"hello"}}"#

private func texts(_ actions: [AppAction]) -> [String] {
    actions.compactMap {
        if case .transmit(.text(let s), _) = $0 { return s }
        return nil
    }
}

private func session(_ channels: String...) throws -> ActionCableProtocol {
    ActionCableProtocol(channels: try channels.map { try ActionCableChannel($0) }, handshakeTimeout: 10)
}

@Test func actionCableOffersItsSubprotocolAndWaitsForTheServer() throws {
    var app = try session()
    #expect(app.subprotocols == ["actioncable-v1-json"])
    #expect(app.start(now: 0).isEmpty)
    let actions = app.receive(.text(welcome), now: 1)
    guard case .accepted(let handshake)? = actions.first else {
        Issue.record("not accepted: \(actions)")
        return
    }
    #expect(handshake.app == "actioncable")
}

@Test func actionCableUnauthorizedIsARejectionThatForbidsReconnect() throws {
    var app = try session()
    _ = app.start(now: 0)
    #expect(
        app.receive(.text(unauthorized), now: 1) == [
            .noReconnect, .rejected(message: "disconnect unauthorized (reconnect: false)"),
        ]
    )
    #expect(app.nextDeadline == nil)
}

@Test func actionCableSubscribesWithTheIdentifierAsAJSONString() throws {
    var app = try session("ChatChannel", #"{"channel":"ChatChannel","room":"7"}"#)
    _ = app.start(now: 0)
    #expect(
        texts(app.receive(.text(welcome), now: 1)) == [
            #"{"command":"subscribe","identifier":"\#(chat)"}"#,
            #"{"command":"subscribe","identifier":"{\"channel\":\"ChatChannel\",\"room\":\"7\"}"}"#,
        ]
    )
    // Lines wait for the confirmations.
    #expect(app.send(#"{"action":"speak","text":"hi"}"#, now: 1).isEmpty)
    #expect(app.receive(.text(confirmChat), now: 2).isEmpty)
    let actions = app.receive(
        .text(#"{"identifier":"{\"channel\":\"ChatChannel\",\"room\":\"7\"}","type":"confirm_subscription"}"#),
        now: 2
    )
    guard case .accepted? = actions.first else {
        Issue.record("not accepted: \(actions)")
        return
    }
    #expect(
        texts(actions) == [
            #"{"command":"message","identifier":"\#(chat)","data":"{\"action\":\"speak\",\"text\":\"hi\"}"}"#
        ]
    )
}

@Test func actionCableMessagesCarryTheChannel() throws {
    var app = try session("ChatChannel")
    _ = app.start(now: 0)
    _ = app.receive(.text(welcome), now: 1)
    _ = app.receive(.text(confirmChat), now: 1)
    #expect(
        app.receive(.text(spoken), now: 2) == [
            .deliver(
                AppMessage(
                    text: #"{"from":"alice","text":"hello"}"#,
                    label: "ChatChannel",
                    fields: ["channel": .string("ChatChannel")]
                )
            )
        ]
    )
    #expect(app.send("plain text", now: 2).allSatisfy { if case .notice = $0 { true } else { false } })
}

@Test func actionCableRejectedSubscriptionNamesTheChannel() throws {
    var app = try session("AdminChannel")
    _ = app.start(now: 0)
    _ = app.receive(.text(welcome), now: 1)
    #expect(
        app.receive(.text(rejectAdmin), now: 1) == [
            .rejected(message: "the subscription to AdminChannel was rejected (reject_subscription)")
        ]
    )
}

@Test func actionCablePingsAreEventsAndTheirSilenceIsADrop() throws {
    var app = try session()
    _ = app.start(now: 0)
    _ = app.receive(.text(welcome), now: 1)
    #expect(app.receive(.text(ping), now: 4) == [.keepalive(AppKeepalive(.ping, .in, data: "1796661441"))])
    #expect(app.nextDeadline == 10)
    #expect(app.timerFired(now: 9.9).isEmpty)
    guard case .timedOut(let why)? = app.timerFired(now: 10).first else {
        Issue.record("no drop")
        return
    }
    #expect(why.contains("no Action Cable ping for 6 s"))
}

@Test func actionCableNoWelcomeWithinTheBoundIsUnanswered() throws {
    var app = try session()
    _ = app.start(now: 0)
    #expect(app.timerFired(now: 10) == [.unanswered("no Action Cable welcome within 10 s")])
}

@Test func actionCableDisconnectAfterWelcomeEndsAndMayReconnect() throws {
    var app = try session()
    _ = app.start(now: 0)
    _ = app.receive(.text(welcome), now: 1)
    #expect(app.receive(.text(expired), now: 5) == [.serverEnded(reason: "disconnect token_expired")])
    // A close without any disconnect message ends the session too (and reconnects).
    var other = try session()
    _ = other.start(now: 0)
    _ = other.receive(.text(welcome), now: 1)
    #expect(
        other.closeVerdict(code: 1006, reason: "")
            == .ended("the server closed the connection without a disconnect message (close 1006)")
    )
}

@Test func actionCableReplSubscribesAndUnsubscribes() throws {
    var app = try session()
    _ = app.start(now: 0)
    _ = app.receive(.text(welcome), now: 1)
    #expect(
        texts(app.command(.subscribe("ChatChannel"), now: 2)) == [#"{"command":"subscribe","identifier":"\#(chat)"}"#]
    )
    #expect(app.receive(.text(confirmChat), now: 2) == [.notice("subscribed to ChatChannel")])
    let actions = app.command(.complete("ChatChannel"), now: 3)
    #expect(texts(actions) == [#"{"command":"unsubscribe","identifier":"\#(chat)"}"#])
    #expect(actions.last == .notice("unsubscribed from ChatChannel"))
}

@Test func actionCableNotJSONIsAViolation() throws {
    var app = try session()
    _ = app.start(now: 0)
    guard case .violation? = app.receive(.text("hello"), now: 1).first else {
        Issue.record("no violation")
        return
    }
}

@Test func actionCableChannelArgumentsAreChecked() {
    #expect(throws: Failure.self) { try ActionCableChannel(#"{"room":"1"}"#) }
    #expect(throws: Failure.self) { try ActionCableChannel("") }
    #expect((try? ActionCableChannel("ChatChannel"))?.identifier == #"{"channel":"ChatChannel"}"#)
}

@Test func actionCableReconnectTakesOverTheChannelsTheREPLAddedLessTheOnesItEnded() throws {
    let room = #"{"channel":"RoomChannel","room":"7"}"#
    let roomIdentifier = #"{\"channel\":\"RoomChannel\",\"room\":\"7\"}"#
    var first = try session("ChatChannel")
    _ = first.start(now: 0)
    _ = first.receive(.text(welcome), now: 1)
    _ = first.receive(.text(confirmChat), now: 1)
    _ = first.command(.subscribe(room), now: 2)
    let confirmRoom = #"{"identifier":"\#(roomIdentifier)","type":"confirm_subscription"}"#
    _ = first.receive(.text(confirmRoom), now: 2)
    _ = first.command(.complete("ChatChannel"), now: 3)
    // A /subscribe the server never confirmed (an unknown channel class) is not carried over.
    _ = first.command(.subscribe("NoSuchChannel"), now: 3)

    var second = try session("ChatChannel")
    second.takeOver(from: first)
    _ = second.start(now: 10)
    let subscribeRoom = #"{"command":"subscribe","identifier":"\#(roomIdentifier)"}"#
    #expect(texts(second.receive(.text(welcome), now: 11)) == [subscribeRoom])
    guard case .accepted(let handshake)? = second.receive(.text(confirmRoom), now: 12).first else {
        Issue.record("not accepted")
        return
    }
    #expect(handshake.details.map(\.value) == ["RoomChannel"])
}
