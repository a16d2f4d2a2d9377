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
    #expect(actions == [.transmit(.text(#"{"type":"connection_init","payload":{"Authorization":"Bearer a\"b\\c"}}"#), carriesCredential: true)])
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

@Test func graphqlDocumentsBecomeSubscribesWithFreshIDsAndObjectsGoAsIs() {
    var app = GraphQLWSProtocol(token: nil)
    #expect(texts(app.send("subscription { count }", now: 0))
        == [#"{"id":"1","type":"subscribe","payload":{"query":"subscription { count }"}}"#])
    #expect(texts(app.send("subscription { other }", now: 0)).first?.contains(#""id":"2""#) == true)
    #expect(texts(app.send(#"{"type":"ping"}"#, now: 0)) == [#"{"type":"ping"}"#])
}

@Test func graphqlNextIsDeliveredAndGarbageIsAViolation() {
    var app = GraphQLWSProtocol(token: nil)
    let next = app.receive(.text(#"{"id":"1","type":"next","payload":{"data":{"count":0}}}"#), now: 0)
    #expect(next == [.deliver(AppMessage(text: #"{"data":{"count":0}}"#, label: "1"))])
    if case .violation = app.receive(.text("not json"), now: 0).first {} else { Issue.record("expected a violation") }
}

@Test func graphqlWithoutTokenATemplateNeedingOneSendsNoPayload() {
    var app = GraphQLWSProtocol(token: nil)
    #expect(texts(app.start(now: 0)) == [#"{"type":"connection_init"}"#])
}
