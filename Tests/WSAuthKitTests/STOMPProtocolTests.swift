import Testing

@testable import WSAuthKit

private func texts(_ actions: [AppAction]) -> [String] {
    actions.compactMap {
        if case .transmit(.text(let s), _) = $0 { return s }
        return nil
    }
}

private func settings(
    subscribe: [String] = [],
    destination: String? = nil,
    heartBeat: Int = 10_000,
    login: (user: String, passcode: Secret)? = nil
) throws -> STOMPSettings {
    try STOMPSettings(
        host: "broker.example",
        login: login,
        subscriptions: subscribe,
        destination: destination,
        heartBeat: heartBeat,
        handshakeTimeout: 5
    )
}

private func connected(_ app: inout STOMPProtocol, heartBeat: String = "0,0", now: Double = 1) -> [AppAction] {
    _ = app.start(now: 0)
    return app.receive(
        .text("CONNECTED\nversion:1.2\nserver:RabbitMQ/3.12\nheart-beat:\(heartBeat)\n\n\u{0}"),
        now: now
    )
}

@Test func stompConnectCarriesBearerHostAndHeartBeat() throws {
    var app = STOMPProtocol(try settings(), token: Secret("tok"))
    let actions = app.start(now: 0)
    #expect(
        actions == [
            .transmit(
                .text(
                    "CONNECT\naccept-version:1.0,1.1,1.2\nhost:broker.example\nheart-beat:10000,10000\nAuthorization:Bearer tok\n\n\u{0}"
                ),
                carriesCredential: true
            )
        ]
    )
    #expect(app.subprotocols == ["v12.stomp", "v11.stomp", "v10.stomp"])
}

@Test func stompWithoutTokenSendsNoCredentials() throws {
    var app = STOMPProtocol(try settings(), token: nil)
    #expect(
        app.start(now: 0) == [
            .transmit(
                .text("CONNECT\naccept-version:1.0,1.1,1.2\nhost:broker.example\nheart-beat:10000,10000\n\n\u{0}"),
                carriesCredential: false
            )
        ]
    )
}

@Test func stompConnectWithLoginPasscodeInsteadOfToken() throws {
    var app = STOMPProtocol(try settings(login: ("guest", Secret("pw"))), token: Secret("tok"))
    let text = texts(app.start(now: 0)).first ?? ""
    #expect(text.contains("\nlogin:guest\npasscode:pw\n"))
    #expect(!text.contains("Authorization"))
}

@Test func stompConnectedAcceptsAfterSubscribing() throws {
    var app = STOMPProtocol(try settings(subscribe: ["/queue/a"]), token: nil)
    let actions = connected(&app)
    #expect(texts(actions) == ["SUBSCRIBE\nid:sub-0\ndestination:/queue/a\nack:auto\n\n\u{0}"])
    #expect(
        actions.last
            == .accepted(
                AppHandshake(
                    app: "stomp",
                    details: [("version", "1.2"), ("server", "RabbitMQ/3.12"), ("heart-beat", "0,0")]
                )
            )
    )
}

@Test func stompErrorBeforeConnectedIsARejectionAfterItTheEnd() throws {
    var refused = STOMPProtocol(try settings(), token: Secret("bad"))
    _ = refused.start(now: 0)
    #expect(
        refused.receive(.text("ERROR\nmessage:Bad CONNECT\n\nAccess refused\n\u{0}"), now: 1) == [
            .rejected(message: "Bad CONNECT: Access refused")
        ]
    )
    var app = STOMPProtocol(try settings(), token: nil)
    _ = connected(&app)
    #expect(app.receive(.text("ERROR\nmessage:gone\n\n\u{0}"), now: 2) == [.serverEnded(reason: "gone")])
}

@Test func stompMessageIsDeliveredWithItsHeaders() throws {
    var app = STOMPProtocol(try settings(), token: nil)
    _ = connected(&app)
    let actions = app.receive(
        .text("MESSAGE\ndestination:/queue/a\nmessage-id:7\nsubscription:sub-0\n\nhello\u{0}"),
        now: 2
    )
    let headers = JSONValue.object([
        ("destination", .string("/queue/a")), ("message-id", .string("7")), ("subscription", .string("sub-0")),
    ])
    #expect(actions == [.deliver(AppMessage(text: "hello", label: "/queue/a", fields: ["headers": headers]))])
}

@Test func stompLinesGoToTheDestinationOrAreRefused() throws {
    var without = STOMPProtocol(try settings(), token: nil)
    _ = connected(&without)
    guard case .notice? = without.send("hi", now: 2).first else {
        Issue.record("expected a notice")
        return
    }
    var app = STOMPProtocol(try settings(destination: "/topic/t"), token: nil)
    _ = connected(&app)
    #expect(
        texts(app.send("hi", now: 2)) == [
            "SEND\ndestination:/topic/t\ncontent-type:text/plain\ncontent-length:2\n\nhi\u{0}"
        ]
    )
}

@Test func stompHeartBeatsAreNegotiatedSentAndWatched() throws {
    var app = STOMPProtocol(try settings(heartBeat: 1000), token: nil)
    _ = connected(&app, heartBeat: "3000,2000", now: 0)
    // We send every max(1000, 2000) ms; the server every max(1000, 3000) ms, judged after twice that.
    #expect(app.nextDeadline == 2)
    #expect(
        app.timerFired(now: 2) == [
            .transmit(.text("\n"), carriesCredential: false), .keepalive(AppKeepalive(.ping, .out)),
        ]
    )
    #expect(app.receive(.text("\n"), now: 3) == [.keepalive(AppKeepalive(.ping, .in))])
    #expect(app.nextDeadline == 4)
    _ = app.timerFired(now: 4)
    _ = app.timerFired(now: 6)
    guard case .timedOut? = app.timerFired(now: 9).first else {
        Issue.record("no timeout")
        return
    }
}

@Test func stompNoConnectedInTimeIsTimedOut() throws {
    var app = STOMPProtocol(try settings(), token: nil)
    _ = app.start(now: 0)
    #expect(app.timerFired(now: 4).isEmpty)
    #expect(app.timerFired(now: 5) == [.timedOut("no CONNECTED within 5 s")])
}

@Test func stompGarbageIsAViolation() throws {
    var app = STOMPProtocol(try settings(), token: nil)
    _ = app.start(now: 0)
    guard case .violation? = app.receive(.text("garbage\n\n\u{0}"), now: 1).first else {
        Issue.record("no violation")
        return
    }
    var other = STOMPProtocol(try settings(), token: nil)
    _ = other.start(now: 0)
    guard case .violation? = other.receive(.text("MESSAGE\n\nbody\u{0}"), now: 1).first else {
        Issue.record("no violation")
        return
    }
}

@Test func stompCommandsSubscribeUnsubscribeAndDisconnect() throws {
    var app = STOMPProtocol(try settings(), token: nil)
    _ = connected(&app)
    #expect(
        texts(app.command(.subscribe("/queue/b"), now: 2)) == [
            "SUBSCRIBE\nid:sub-0\ndestination:/queue/b\nack:auto\n\n\u{0}"
        ]
    )
    #expect(texts(app.command(.complete("sub-0"), now: 2)) == ["UNSUBSCRIBE\nid:sub-0\n\n\u{0}"])
    guard case .notice? = app.command(.complete("sub-0"), now: 2).first else {
        Issue.record("expected a notice")
        return
    }
    #expect(texts(app.finish(now: 3)) == ["DISCONNECT\nreceipt:wsauth-disconnect\n\n\u{0}"])
}

@Test func stompReceiptOfDisconnectClosesTheSocket() throws {
    var app = STOMPProtocol(try settings(), token: nil)
    _ = connected(&app)
    #expect(app.receive(.text("RECEIPT\nreceipt-id:other\n\n\u{0}"), now: 2) == [.notice("STOMP receipt other")])
    #expect(app.receive(.text("RECEIPT\nreceipt-id:wsauth-disconnect\n\n\u{0}"), now: 2) == [.closeWebSocket])
}

@Test func stompSettingsRefuseLineBreaksAndBadTemplates() {
    #expect(throws: Failure.self) { try STOMPSettings(host: "a\nb") }
    #expect(throws: Failure.self) { try STOMPSettings(host: "a", authTemplate: "no colon") }
}

@Test func stompReconnectTakesOverTheREPLsSubscriptionsWithTheirIds() throws {
    var first = STOMPProtocol(try settings(subscribe: ["/queue/a"]), token: nil)
    _ = connected(&first)
    _ = first.command(.subscribe("/queue/b"), now: 2)
    _ = first.command(.subscribe("/queue/c"), now: 2)
    _ = first.command(.complete("sub-0"), now: 3)

    var second = STOMPProtocol(try settings(subscribe: ["/queue/a"]), token: nil)
    second.takeOver(from: first)
    #expect(
        texts(connected(&second, now: 10)) == [
            "SUBSCRIBE\nid:sub-1\ndestination:/queue/b\nack:auto\n\n\u{0}",
            "SUBSCRIBE\nid:sub-2\ndestination:/queue/c\nack:auto\n\n\u{0}",
        ]
    )
    #expect(
        texts(second.command(.subscribe("/queue/d"), now: 11)) == [
            "SUBSCRIBE\nid:sub-3\ndestination:/queue/d\nack:auto\n\n\u{0}"
        ],
        "a new id, not one the server may still know"
    )
}
