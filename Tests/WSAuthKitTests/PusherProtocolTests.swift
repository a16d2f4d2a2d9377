import Testing

@testable import WSAuthKit

// Frames and answers as the protocol 7 peer (Tests/interop/peers/pusher_peer.py, its
// authorizations signed by the official `pusher` library) sent them to a client.
private let established =
    #"{"event": "pusher:connection_established", "#
    + #""data": "{\"socket_id\": \"212754074.584428780\", \"activity_timeout\": 120}"}"#
private let presenceAuth =
    #"{"auth": "wsauth-key:6bcd8e8d7969409b06da604ed26b074fc5bfaf406e1fd0522f4e783c1007fdd5", "#
    + #""channel_data": "{\"user_id\": \"alice\", \"user_info\": {\"name\": \"alice\"}}"}"#
private let presenceSucceeded =
    #"{"event": "pusher_internal:subscription_succeeded", "channel": "presence-room", "#
    + #""data": "{\"presence\": {\"ids\": [\"alice\"], \"hash\": {\"alice\": {\"name\": \"alice\"}}, \"count\": 1}}"}"#
private let lobbySucceeded = #"{"event": "pusher_internal:subscription_succeeded", "channel": "lobby", "data": "{}"}"#
private let echo =
    #"{"event": "echo", "channel": "lobby", "#
    + #""data": "{\"event\": \"client-typing\", \"data\": {\"who\": \"alice\"}}"}"#
private let subscriptionError =
    #"{"event": "pusher:subscription_error", "channel": "private-x", "#
    + #""data": {"type": "AuthError", "error": "Invalid signature", "status": 401}}"#
private let nullError =
    #"{"event": "pusher:error", "#
    + #""data": {"message": "Invalid signature: Expected HMAC SHA256 hex digest of private-x", "code": null}}"#
private let unauthorized =
    #"{"event": "pusher:error", "#
    + #""data": {"message": "Connection is unauthorized", "code": 4009}}"#
private let noPong = #"{"event": "pusher:error", "data": {"message": "Pong reply not received", "code": 4201}}"#
private let serverPing = #"{"event": "pusher:ping", "data": {}}"#
private let authURL = "http://127.0.0.1:8000/broadcasting/auth"

private func texts(_ actions: [AppAction]) -> [String] {
    actions.compactMap {
        if case .transmit(.text(let s), _) = $0 { return s }
        return nil
    }
}

private func requests(_ actions: [AppAction]) -> [AppHTTPRequest] {
    actions.compactMap {
        if case .request(let request) = $0 { return request }
        return nil
    }
}

private func session(_ channels: String...) throws -> PusherProtocol {
    PusherProtocol(try PusherSettings(channels: channels, authURL: authURL), handshakeTimeout: 10)
}

private func answer(_ channel: String, _ status: Int, _ body: String) -> AppHTTPAnswer {
    AppHTTPAnswer(tag: channel, .response(status: status, headers: [], body: Array(body.utf8)))
}

@Test func pusherURLIsTheAppPathWithProtocol7Added() throws {
    #expect(
        try PusherURL.resolve("wss://ws.example/app/abc").description
            == "wss://ws.example/app/abc?protocol=7&client=wsauth&version=\(WSAuthVersion.string)"
    )
    #expect(
        try PusherURL.resolve("http://h:8080/app/k?protocol=7").description
            == "ws://h:8080/app/k?protocol=7&client=wsauth&version=\(WSAuthVersion.string)"
    )
    #expect(throws: Failure.self) { try PusherURL.resolve("ws://h/socket") }
    #expect(throws: Failure.self) { try PusherURL.resolve("ws://h/app/") }
}

@Test func pusherSettingsNeedAnAuthURLForPrivateChannels() throws {
    #expect(throws: Failure.self) { try PusherSettings(channels: ["private-chat"], authURL: nil) }
    #expect(throws: Failure.self) { try PusherSettings(channels: ["presence-room"], authURL: "ftp://x/auth") }
    #expect(throws: Failure.self) { try PusherSettings(channels: ["a b"], authURL: nil) }
    #expect(try PusherSettings(channels: ["lobby"], authURL: nil).channels.map(\.name) == ["lobby"])
}

@Test func pusherConnectionEstablishedWithoutChannelsIsTheHandshake() throws {
    var app = try session()
    #expect(app.start(now: 0).isEmpty)
    let actions = app.receive(.text(established), now: 1)
    guard case .accepted(let handshake)? = actions.first else {
        Issue.record("not accepted: \(actions)")
        return
    }
    #expect(handshake.details.first?.value == "212754074.584428780")
    #expect(app.nextDeadline == 121)
}

@Test func pusherAuthorizesPresenceThenSubscribesWithTheAnswerAsReceived() throws {
    var app = try session("presence-room", "lobby")
    _ = app.start(now: 0)
    let actions = app.receive(.text(established), now: 1)
    #expect(texts(actions) == [#"{"event":"pusher:subscribe","data":{"channel":"lobby"}}"#])
    let asked = requests(actions)
    #expect(asked.count == 1)
    #expect(asked.first?.url == authURL && asked.first?.method == "POST" && asked.first?.tag == "presence-room")
    #expect(
        asked.first.map { String(decoding: $0.body, as: UTF8.self) }
            == "socket_id=212754074.584428780&channel_name=presence-room"
    )
    // Lines wait for the subscriptions.
    #expect(app.send(#"{"event":"client-typing","channel":"lobby","data":{}}"#, now: 1).isEmpty)
    #expect(
        texts(app.answered(answer("presence-room", 200, presenceAuth), now: 2)) == [
            #"{"event":"pusher:subscribe","data":{"channel":"presence-room","#
                + #""auth":"wsauth-key:6bcd8e8d7969409b06da604ed26b074fc5bfaf406e1fd0522f4e783c1007fdd5","#
                + #""channel_data":"{\"user_id\": \"alice\", \"user_info\": {\"name\": \"alice\"}}"}}"#
        ]
    )
    #expect(app.receive(.text(lobbySucceeded), now: 2).isEmpty)
    let opened = app.receive(.text(presenceSucceeded), now: 3)
    guard case .accepted? = opened.first else {
        Issue.record("not accepted: \(opened)")
        return
    }
    #expect(texts(opened) == [#"{"event":"client-typing","channel":"lobby","data":{}}"#])
}

@Test func pusherEventsAreMessagesWithNameChannelAndDataAsReceived() throws {
    var app = try session("lobby")
    _ = app.start(now: 0)
    _ = app.receive(.text(established), now: 1)
    _ = app.receive(.text(lobbySucceeded), now: 1)
    #expect(
        app.receive(.text(echo), now: 2) == [
            .deliver(
                AppMessage(
                    text: #"{"event": "client-typing", "data": {"who": "alice"}}"#,
                    label: "lobby echo",
                    fields: ["name": .string("echo"), "channel": .string("lobby")]
                )
            )
        ]
    )
}

@Test(arguments: [(401, true), (403, true), (500, false), (419, false)])
func pusherAuthorizationStatus(status: Int, refusal: Bool) throws {
    var app = try session("private-admin")
    _ = app.start(now: 0)
    _ = app.receive(.text(established), now: 1)
    let actions = app.answered(answer("private-admin", status, #"{"message":"no"}"#), now: 2)
    if refusal {
        let said = "the authorization of private-admin was refused: \(authURL) answered \(status)"
        #expect(actions == [.rejected(message: said)])
    } else {
        #expect(actions == [.protocolError("the authorization of private-admin failed: \(authURL) answered \(status)")])
    }
}

@Test func pusherAnAuthorizationWithoutAnswerIsADrop() throws {
    var app = try session("private-chat")
    _ = app.start(now: 0)
    _ = app.receive(.text(established), now: 1)
    let actions = app.answered(AppHTTPAnswer(tag: "private-chat", .failed("connection refused")), now: 2)
    #expect(actions == [.timedOut("the authorization of private-chat at \(authURL) got no answer: connection refused")])
}

@Test(arguments: [subscriptionError, nullError, unauthorized])
func pusherRefusalsOfTheSignatureAreRejectionsNamingTheChannel(frame: String) throws {
    var app = try session("private-x")
    _ = app.start(now: 0)
    _ = app.receive(.text(established), now: 1)
    _ = app.answered(answer("private-x", 200, #"{"auth":"wsauth-key:00"}"#), now: 1)
    let actions = app.receive(.text(frame), now: 2)
    guard case .rejected(let message)? = actions.first, actions.count == 1 else {
        Issue.record("\(actions)")
        return
    }
    #expect(message.hasPrefix("the subscription to private-x was refused: "))
    #expect(app.nextDeadline == nil)
}

@Test func pusherErrorRanges() throws {
    var app = try session()
    _ = app.start(now: 0)
    _ = app.receive(.text(established), now: 1)
    // A null code with no subscription waiting is only news.
    let rejectedEvent = #"{"event":"pusher:error","data":{"message":"Client event rejected","code":null}}"#
    #expect(
        app.receive(.text(rejectedEvent), now: 2)
            == [.notice("pusher:error Client event rejected")]
    )
    var reconnecting = app
    #expect(
        reconnecting.receive(.text(noPong), now: 3)
            == [.serverEnded(reason: "pusher:error 4201 Pong reply not received")]
    )
    #expect(
        app.receive(.text(#"{"event":"pusher:error","data":{"message":"App disabled","code":4003}}"#), now: 3)
            == [.noReconnect, .protocolError("pusher:error 4003 App disabled")]
    )
}

@Test func pusherCloseCodesWithoutAnErrorMeanTheSame() throws {
    var app = try session()
    _ = app.start(now: 0)
    _ = app.receive(.text(established), now: 1)
    #expect(app.closeVerdict(code: 4009, reason: "") == .refused("close 4009"))
    #expect(app.closeVerdict(code: 4001, reason: "no app") == .protocolError("close 4001 no app"))
    #expect(app.closeVerdict(code: 4200, reason: "") == .ended("close 4200"))
    #expect(app.closeVerdict(code: 1000, reason: "") == nil)
}

@Test func pusherPingsAfterActivityTimeoutAndAnUnansweredPingIsADrop() throws {
    var app = try session()
    _ = app.start(now: 0)
    _ = app.receive(.text(established), now: 1)
    #expect(app.timerFired(now: 100).isEmpty)
    let ping = app.timerFired(now: 121)
    #expect(texts(ping) == [#"{"event":"pusher:ping","data":{}}"#])
    #expect(ping.contains(.keepalive(AppKeepalive(.ping, .out))))
    #expect(app.nextDeadline == 121 + PusherProtocol.pongTimeout)
    #expect(
        app.receive(.text(#"{"event":"pusher:pong","data":{}}"#), now: 122)
            == [.keepalive(AppKeepalive(.pong, .in))]
    )
    #expect(app.nextDeadline == 242)
    _ = app.timerFired(now: 242)
    #expect(app.timerFired(now: 272) == [.timedOut("no answer to pusher:ping within 30 s")])
}

@Test func pusherAnswersTheServersPing() throws {
    var app = try session()
    _ = app.start(now: 0)
    _ = app.receive(.text(established), now: 1)
    #expect(
        app.receive(.text(serverPing), now: 2) == [
            .keepalive(AppKeepalive(.ping, .in)),
            .transmit(.text(#"{"event":"pusher:pong","data":{}}"#), carriesCredential: false),
            .keepalive(AppKeepalive(.pong, .out)),
        ]
    )
}

@Test func pusherNoEstablishedOrSubscriptionInTimeIsUnanswered() throws {
    var app = try session()
    _ = app.start(now: 0)
    #expect(app.timerFired(now: 10) == [.unanswered("no pusher:connection_established within 10 s")])
    var waiting = try session("lobby")
    _ = waiting.start(now: 0)
    _ = waiting.receive(.text(established), now: 1)
    #expect(
        waiting.timerFired(now: 10)
            == [.unanswered("no pusher_internal:subscription_succeeded for lobby within 10 s")]
    )
}

@Test func pusherNotAnEventIsAViolation() throws {
    var app = try session()
    _ = app.start(now: 0)
    guard case .violation? = app.receive(.text("[1,2]"), now: 1).first else {
        Issue.record("not a violation")
        return
    }
    var other = try session()
    _ = other.start(now: 0)
    let empty = #"{"event":"pusher:connection_established","data":"{}"}"#
    guard case .violation(let why)? = other.receive(.text(empty), now: 1).first
    else {
        Issue.record("not a violation")
        return
    }
    #expect(why == "pusher:connection_established without a socket_id")
}

@Test func pusherReplSubscribesAndUnsubscribes() throws {
    var app = try session()
    _ = app.start(now: 0)
    _ = app.receive(.text(established), now: 1)
    #expect(requests(app.command(.subscribe("private-chat"), now: 2)).map(\.tag) == ["private-chat"])
    _ = app.answered(answer("private-chat", 200, #"{"auth":"wsauth-key:ab"}"#), now: 2)
    let succeeded = #"{"event":"pusher_internal:subscription_succeeded","channel":"private-chat","data":"{}"}"#
    #expect(
        app.receive(.text(succeeded), now: 3)
            == [.notice("subscribed to private-chat")]
    )
    #expect(
        app.command(.complete("private-chat"), now: 4) == [
            .transmit(
                .text(#"{"event":"pusher:unsubscribe","data":{"channel":"private-chat"}}"#),
                carriesCredential: false
            ),
            .notice("unsubscribed from private-chat"),
        ]
    )
    #expect(app.command(.complete("private-chat"), now: 5) == [.notice("not subscribed to private-chat")])
}

@Test func pusherReconnectTakesOverTheChannelsTheREPLAddedLessTheOnesItEnded() throws {
    var first = try session("lobby")
    _ = first.start(now: 0)
    _ = first.receive(.text(established), now: 1)
    _ = first.receive(.text(lobbySucceeded), now: 1)
    _ = first.command(.subscribe("private-chat"), now: 2)
    _ = first.answered(answer("private-chat", 200, #"{"auth":"wsauth-key:ab"}"#), now: 2)
    let succeeded = #"{"event":"pusher_internal:subscription_succeeded","channel":"private-chat","data":"{}"}"#
    _ = first.receive(.text(succeeded), now: 3)
    _ = first.command(.subscribe("news"), now: 3)
    let newsSucceeded = #"{"event":"pusher_internal:subscription_succeeded","channel":"news","data":"{}"}"#
    _ = first.receive(.text(newsSucceeded), now: 3)
    _ = first.command(.complete("news"), now: 4)
    // A /subscribe the server never confirmed is not carried over.
    _ = first.command(.subscribe("unconfirmed"), now: 4)

    var second = try session("lobby")
    second.takeOver(from: first)
    _ = second.start(now: 10)
    let subscribing = second.receive(.text(established), now: 11)
    #expect(texts(subscribing) == [#"{"event":"pusher:subscribe","data":{"channel":"lobby"}}"#])
    #expect(requests(subscribing).map(\.tag) == ["private-chat"], "authorized again for the new socket_id")
    _ = second.answered(answer("private-chat", 200, #"{"auth":"wsauth-key:cd"}"#), now: 11)
    #expect(second.receive(.text(lobbySucceeded), now: 12).isEmpty, "the REPL's channel is part of the handshake")
    guard case .accepted(let handshake)? = second.receive(.text(succeeded), now: 12).first else {
        Issue.record("not accepted")
        return
    }
    #expect(handshake.details.map(\.value) == ["212754074.584428780", "lobby, private-chat"])
}
