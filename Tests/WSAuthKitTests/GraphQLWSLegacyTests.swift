import Testing

@testable import WSAuthKit

/// subscriptions-transport-ws messages as its PROTOCOL.md spells them
/// (GQL_CONNECTION_INIT … GQL_STOP), and as Strawberry's legacy handler sends them.
private func texts(_ actions: [AppAction]) -> [String] {
    actions.compactMap {
        if case .transmit(.text(let s), _) = $0 { return s }
        return nil
    }
}

private func acknowledged(_ app: inout GraphQLWSLegacyProtocol) {
    _ = app.start(now: 0)
    _ = app.receive(.text(#"{"type":"connection_ack"}"#), now: 0)
}

@Test func legacyOffersTheGraphqlWsSubprotocolAndInitCarriesTheToken() {
    var app = GraphQLWSLegacyProtocol(token: Secret("t0k"))
    #expect(app.subprotocols == ["graphql-ws"])
    #expect(
        app.start(now: 0) == [
            .transmit(
                .text(#"{"type":"connection_init","payload":{"Authorization":"Bearer t0k"}}"#),
                carriesCredential: true
            )
        ]
    )
}

@Test func legacyConnectionErrorIsARefusalWithItsMessage() {
    var app = GraphQLWSLegacyProtocol(token: Secret("bad"))
    _ = app.start(now: 0)
    #expect(
        app.receive(.text(#"{"type":"connection_error","payload":{"message":"invalid token"}}"#), now: 0)
            == [.rejected(message: "invalid token")]
    )
    #expect(app.nextDeadline == nil)
    var bare = GraphQLWSLegacyProtocol(token: nil)
    _ = bare.start(now: 0)
    #expect(
        bare.receive(.text(#"{"type":"connection_error"}"#), now: 0) == [
            .rejected(message: "connection_error without a payload")
        ]
    )
}

@Test func legacyAckAcceptsAndKaIsAKeepaliveNeverAnswered() {
    var app = GraphQLWSLegacyProtocol(token: nil, handshakeTimeout: 3)
    _ = app.start(now: 10)
    #expect(app.nextDeadline == 13)
    #expect(
        app.receive(.text(#"{"type":"connection_ack"}"#), now: 11) == [
            .accepted(AppHandshake(app: "graphql-ws-legacy", details: []))
        ]
    )
    #expect(app.receive(.text(#"{"type":"ka"}"#), now: 12) == [.keepalive(AppKeepalive(.ping, .in, data: "ka"))])
}

@Test func legacyNoAckInTimeIsTimedOut() {
    var app = GraphQLWSLegacyProtocol(token: nil, handshakeTimeout: 2.5)
    _ = app.start(now: 0)
    #expect(app.timerFired(now: 2).isEmpty)
    #expect(app.timerFired(now: 2.5) == [.timedOut("no connection_ack within 2.5 s")])
}

@Test func legacyDocumentsAreStartsAndDataIsDelivered() {
    var app = GraphQLWSLegacyProtocol(token: nil)
    acknowledged(&app)
    #expect(
        texts(app.send("subscription { count }", now: 0))
            == [#"{"id":"1","type":"start","payload":{"query":"subscription { count }"}}"#]
    )
    #expect(
        app.receive(.text(#"{"type":"data","id":"1","payload":{"data":{"count":0}}}"#), now: 0)
            == [.deliver(AppMessage(text: #"{"data":{"count":0}}"#, label: "1", fields: ["id": .string("1")]))]
    )
    #expect(app.receive(.text(#"{"type":"complete","id":"1"}"#), now: 0) == [.notice("operation 1 complete")])
    #expect(app.command(.complete("1"), now: 0) == [.notice("no running operation 1")])
}

@Test func legacyCompleteCommandSendsStopAndFinishSaysConnectionTerminate() {
    var app = GraphQLWSLegacyProtocol(token: nil)
    acknowledged(&app)
    _ = app.command(.subscribe("subscription { ticks }"), now: 0)
    #expect(texts(app.command(.complete("1"), now: 0)) == [#"{"id":"1","type":"stop"}"#])
    #expect(
        app.finish(now: 0) == [
            .transmit(.text(#"{"type":"connection_terminate"}"#), carriesCredential: false), .closeWebSocket,
        ]
    )
}

@Test func legacyBeforeTheAckLinesWaitAndFinishOnlyCloses() {
    var app = GraphQLWSLegacyProtocol(token: nil)
    _ = app.start(now: 0)
    #expect(app.send("subscription { a }", now: 0).isEmpty)
    #expect(app.finish(now: 0) == [.closeWebSocket])
}

@Test func legacyGarbageAndMissingIdsAreViolations() {
    var app = GraphQLWSLegacyProtocol(token: nil)
    acknowledged(&app)
    for bad in ["not json", "[1]", #"{"type":7}"#, #"{"type":"data","payload":{}}"#] {
        guard case .violation? = app.receive(.text(bad), now: 0).first else {
            Issue.record("\(bad) is a violation")
            continue
        }
    }
    #expect(app.receive(.binary([1, 2]), now: 0).count == 1)
}

@Test func legacyConnectionErrorAfterTheAckEndsTheSession() {
    var app = GraphQLWSLegacyProtocol(token: nil)
    acknowledged(&app)
    #expect(
        app.receive(.text(#"{"type":"connection_error","payload":{"message":"token expired"}}"#), now: 0)
            == [.serverEnded(reason: "connection_error: token expired")]
    )
}

@Test func legacyReconnectStartsTheRunningOperationsAgain() {
    var first = GraphQLWSLegacyProtocol(token: nil)
    acknowledged(&first)
    _ = first.send("subscription { ticks }", now: 0)
    var second = GraphQLWSLegacyProtocol(token: nil)
    second.takeOver(from: first)
    _ = second.start(now: 0)
    #expect(
        texts(second.receive(.text(#"{"type":"connection_ack"}"#), now: 0))
            == [#"{"id":"1","type":"start","payload":{"query":"subscription { ticks }"}}"#]
    )
}
