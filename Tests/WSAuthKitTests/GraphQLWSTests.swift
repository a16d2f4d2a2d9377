import Testing

@testable import WSAuthKit

/// graphql-transport-ws messages as the protocol document (graphql-ws
/// PROTOCOL.md) spells them; not yet captured from a live Strawberry server.
private func texts(_ actions: [AppAction]) -> [String] {
    actions.compactMap {
        if case .transmit(.text(let s), _) = $0 { return s }
        return nil
    }
}

@Test func graphqlInitCarriesEscapedTokenAndIsRedacted() {
    var app = GraphQLWSProtocol(token: Secret(#"a"b\c"#))
    let actions = app.start(now: 0)
    #expect(texts(actions) == [#"{"type":"connection_init","payload":{"Authorization":"Bearer a\"b\\c"}}"#])
    #expect(
        actions == [
            .transmit(
                .text(#"{"type":"connection_init","payload":{"Authorization":"Bearer a\"b\\c"}}"#),
                carriesCredential: true
            )
        ]
    )
    #expect(app.subprotocols == ["graphql-transport-ws"])
}

@Test func graphqlAckAcceptsAndStopsTheDeadline() {
    var app = GraphQLWSProtocol(token: Secret("t"), handshakeTimeout: 5)
    _ = app.start(now: 100)
    #expect(app.nextDeadline == 105)
    let actions = app.receive(.text(#"{"type":"connection_ack"}"#), now: 101)
    #expect(actions == [.accepted(AppHandshake(app: "graphql-ws", details: []))])
    #expect(app.nextDeadline == nil)
}

@Test func graphqlNoAckInTimeIsTimedOut() {
    var app = GraphQLWSProtocol(token: Secret("t"), handshakeTimeout: 5)
    _ = app.start(now: 0)
    #expect(app.timerFired(now: 4).isEmpty)
    #expect(app.timerFired(now: 5) == [.timedOut("no connection_ack within 5 s")])
}

@Test func graphqlPingIsAnsweredWithPong() {
    var app = GraphQLWSProtocol(token: nil)
    #expect(texts(app.receive(.text(#"{"type":"ping"}"#), now: 0)) == [#"{"type":"pong"}"#])
}

private func acknowledged(_ app: inout GraphQLWSProtocol) {
    _ = app.start(now: 0)
    _ = app.receive(.text(#"{"type":"connection_ack"}"#), now: 0)
}

@Test func graphqlDocumentsBecomeSubscribesWithFreshIDsAndObjectsGoAsIs() {
    var app = GraphQLWSProtocol(token: nil)
    acknowledged(&app)
    #expect(
        texts(app.send("subscription { count }", now: 0))
            == [#"{"id":"1","type":"subscribe","payload":{"query":"subscription { count }"}}"#]
    )
    #expect(texts(app.send("subscription { other }", now: 0)).first?.contains(#""id":"2""#) == true)
    #expect(texts(app.send(#"{"type":"ping"}"#, now: 0)) == [#"{"type":"ping"}"#])
}

@Test func graphqlNextIsDeliveredAndGarbageIsAViolation() {
    var app = GraphQLWSProtocol(token: nil)
    let next = app.receive(.text(#"{"id":"1","type":"next","payload":{"data":{"count":0}}}"#), now: 0)
    #expect(next == [.deliver(AppMessage(text: #"{"data":{"count":0}}"#, label: "1", fields: ["id": .string("1")]))])
    if case .violation = app.receive(.text("not json"), now: 0).first {} else { Issue.record("expected a violation") }
}

@Test func graphqlWithoutTokenATemplateNeedingOneSendsNoPayload() {
    var app = GraphQLWSProtocol(token: nil)
    #expect(texts(app.start(now: 0)) == [#"{"type":"connection_init"}"#])
}

@Test func graphqlLinesBeforeTheAckWaitForIt() {
    // A subscribe before connection_ack is closed with 4401 (PROTOCOL.md "Subscribe").
    var app = GraphQLWSProtocol(token: nil)
    _ = app.start(now: 0)
    #expect(app.send("subscription { a }", now: 0).isEmpty)
    let actions = app.receive(.text(#"{"type":"connection_ack","payload":{"user":"alice"}}"#), now: 1)
    #expect(actions.first == .accepted(AppHandshake(app: "graphql-ws", details: [("payload", #"{"user":"alice"}"#)])))
    #expect(texts(actions) == [#"{"id":"1","type":"subscribe","payload":{"query":"subscription { a }"}}"#])
}

@Test func graphqlAnAckAfterTheEndSaysTheWaitingLinesWereNotSent() {
    var app = GraphQLWSProtocol(token: nil)
    _ = app.start(now: 0)
    #expect(app.send("subscription { a }", now: 0).isEmpty)
    #expect(app.finish(now: 1) == [.closeWebSocket])
    #expect(app.nextDeadline == nil)
    let actions = app.receive(.text(#"{"type":"connection_ack"}"#), now: 2)
    #expect(
        actions == [
            .accepted(AppHandshake(app: "graphql-ws", details: [])),
            .notice("not sent: the graphql-ws session has ended"),
        ]
    )
    let again = app.receive(.text(#"{"type":"connection_ack"}"#), now: 3)
    #expect(again == [.violation("graphql-transport-ws: a second connection_ack")])
}

@Test func graphqlCloseCodesBeforeTheAckAreRefusalsOrProtocolErrors() {
    let app = GraphQLWSProtocol(token: nil)
    for code: UInt16 in [4401, 4403] {
        guard case .refused(let message)? = app.closeVerdict(code: code, reason: "Forbidden") else {
            Issue.record("\(code) is a refusal")
            continue
        }
        #expect(message.hasPrefix("close \(code) \"Forbidden\" ("))
    }
    for code: UInt16 in [4400, 4408, 4409, 4429] {
        guard case .protocolError(let detail)? = app.closeVerdict(code: code, reason: "") else {
            Issue.record("\(code) is a protocol error")
            continue
        }
        #expect(detail.contains(CloseCode(rawValue: code).meaning))
    }
    #expect(app.closeVerdict(code: 1000, reason: "") == nil)
    #expect(app.closeVerdict(code: 4001, reason: "") == nil)
}

@Test func graphqlAnAuthCloseAfterTheAckIsAnOrdinaryAuthClose() {
    // Token expiry mid-subscription: --auth-close-codes and --reconnect decide.
    var app = GraphQLWSProtocol(token: nil)
    acknowledged(&app)
    #expect(app.closeVerdict(code: 4403, reason: "token expired") == nil)
    #expect(app.closeVerdict(code: 4408, reason: "") != nil)
}

@Test func graphqlCloseVerdictsExitWithTheContractsCodes() {
    let script = SessionScript()
    let progress = ScriptProgress()
    let refused = SessionVerdict.failure(
        for: .appRejected(app: "graphql-ws", message: "close 4403"),
        script: script,
        progress: progress
    )
    #expect(refused?.exitStatus == .authRejected)
    let broken = SessionVerdict.failure(
        for: .appProtocolError(app: "graphql-ws", detail: "close 4408"),
        script: script,
        progress: progress
    )
    #expect(broken?.exitStatus == .handshakeFailed)
    #expect(ConnectionEnd.appProtocolError(app: "graphql-ws", detail: "").reconnectCause(script: script) == nil)
}

@Test func graphqlAReconnectSubscribesTheRunningOperationsAgainAfterTheAck() {
    var first = GraphQLWSProtocol(token: Secret("old"))
    acknowledged(&first)
    _ = first.send("subscription { a }", now: 0)
    _ = first.send("subscription { b }", now: 0)
    _ = first.receive(.text(#"{"id":"1","type":"complete"}"#), now: 0)
    var second = GraphQLWSProtocol(token: Secret("new"))
    second.takeOver(from: first)
    #expect(texts(second.start(now: 0)) == [#"{"type":"connection_init","payload":{"Authorization":"Bearer new"}}"#])
    let actions = second.receive(.text(#"{"type":"connection_ack"}"#), now: 0)
    #expect(texts(actions) == [#"{"id":"2","type":"subscribe","payload":{"query":"subscription { b }"}}"#])
    #expect(texts(second.send("subscription { c }", now: 0)).first?.contains(#""id":"3""#) == true)
}

@Test func graphqlASubscribeWrittenInJSONIsSubscribedAgainOnReconnect() {
    var first = GraphQLWSProtocol(token: Secret("old"))
    acknowledged(&first)
    let raw = #"{"id":"mine","type":"subscribe","payload":{"query":"subscription { a }"}}"#
    #expect(texts(first.send(raw, now: 0)) == [raw])
    _ = first.send(#"{"id":"other","type":"subscribe","payload":{"query":"subscription { b }"}}"#, now: 0)
    _ = first.send(#"{"id":"other","type":"complete"}"#, now: 0)
    var second = GraphQLWSProtocol(token: Secret("new"))
    second.takeOver(from: first)
    _ = second.start(now: 0)
    let actions = second.receive(.text(#"{"type":"connection_ack"}"#), now: 0)
    #expect(texts(actions) == [#"{"id":"mine","type":"subscribe","payload":{"query":"subscription { a }"}}"#])
}

@Test func graphqlReplCommandsSubscribeAndComplete() {
    var app = GraphQLWSProtocol(token: nil)
    acknowledged(&app)
    #expect(
        texts(app.command(.subscribe("subscription { a }"), now: 0))
            == [#"{"id":"1","type":"subscribe","payload":{"query":"subscription { a }"}}"#]
    )
    #expect(texts(app.command(.complete("1"), now: 0)) == [#"{"id":"1","type":"complete"}"#])
    #expect(app.command(.complete("1"), now: 0) == [.notice("no running operation 1")])
}
