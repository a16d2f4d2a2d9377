import Testing

@testable import WSAuthKit

/// Frames a real Strawberry server (0.341, aiohttp) sent, recorded by
/// Tests/interop/tools/capture_graphql.py: what each protocol makes of them.
private func texts(_ actions: [AppAction]) -> [String] {
    actions.compactMap {
        if case .transmit(.text(let s), _) = $0 { return s }
        return nil
    }
}

@Test func strawberryTransportSessionAsCaptured() {
    var app = GraphQLWSProtocol(token: Secret("jwt"))
    _ = app.start(now: 0)
    #expect(
        app.receive(.text(#"{"type":"connection_ack","payload":{"user":"alice"}}"#), now: 0)
            == [.accepted(AppHandshake(app: "graphql-ws", details: [("payload", #"{"user":"alice"}"#)]))]
    )
    _ = app.send("subscription { count(to: 2) }", now: 0)
    let next = app.receive(.text(#"{"id":"1","type":"next","payload":{"data":{"count":0}}}"#), now: 0)
    #expect(next == [.deliver(AppMessage(text: #"{"data":{"count":0}}"#, label: "1", fields: ["id": .string("1")]))])
    #expect(app.receive(.text(#"{"id":"1","type":"complete"}"#), now: 0) == [.notice("operation 1 complete")])
    #expect(app.receive(.text(#"{"type":"pong"}"#), now: 0) == [.keepalive(AppKeepalive(.pong, .in))])
    let error = app.receive(
        .text(
            #"{"id":"2","type":"error","payload":[{"message":"Cannot query field 'nope' on type 'Subscription'.","locations":[{"line":1,"column":16}]}]}"#
        ),
        now: 0
    )
    #expect(
        error == [
            .notice(
                #"operation 2 error: [{"message":"Cannot query field 'nope' on type 'Subscription'.","locations":[{"line":1,"column":16}]}]"#
            )
        ]
    )
}

@Test func strawberryTransportClosesAsCaptured() {
    let waiting = GraphQLWSProtocol(token: nil)
    #expect(
        waiting.closeVerdict(code: 4403, reason: "Forbidden")
            == .refused(
                #"close 4403 "Forbidden" (forbidden: graphql-ws: the server refused the connection_init, typically its credentials.)"#
            )
    )
    #expect(
        waiting.closeVerdict(code: 4401, reason: "Unauthorized").map { if case .refused = $0 { true } else { false } }
            == true
    )
    for (code, reason) in [
        (UInt16(4408), "Connection initialisation timeout"), (4409, "Subscriber for 3 already exists"),
        (4429, "Too many initialisation requests"), (4400, "Invalid connection init payload"),
    ] {
        guard case .protocolError(let detail)? = waiting.closeVerdict(code: code, reason: reason) else {
            Issue.record("\(code) is a protocol error")
            continue
        }
        #expect(detail.hasPrefix("close \(code) \"\(reason)\""))
    }
}

@Test func strawberryLegacySessionAsCaptured() {
    var refused = GraphQLWSLegacyProtocol(token: Secret("not-a-jwt"))
    _ = refused.start(now: 0)
    #expect(
        refused.receive(.text(#"{"type":"connection_error","payload":{"message":"invalid token"}}"#), now: 0)
            == [.rejected(message: "invalid token")]
    )

    var app = GraphQLWSLegacyProtocol(token: Secret("jwt"))
    _ = app.start(now: 0)
    #expect(app.receive(.text(#"{"type":"connection_ack","payload":{"user":"alice"}}"#), now: 0).count == 1)
    #expect(app.receive(.text(#"{"type":"ka"}"#), now: 0) == [.keepalive(AppKeepalive(.ping, .in, data: "ka"))])
    _ = app.send("subscription { count(to: 2) }", now: 0)
    #expect(
        app.receive(.text(#"{"type":"data","id":"1","payload":{"data":{"count":1}}}"#), now: 0)
            == [.deliver(AppMessage(text: #"{"data":{"count":1}}"#, label: "1", fields: ["id": .string("1")]))]
    )
    #expect(app.receive(.text(#"{"type":"complete","id":"1"}"#), now: 0) == [.notice("operation 1 complete")])
    let error = app.receive(
        .text(
            #"{"type":"error","id":"2","payload":{"message":"Cannot query field 'nope' on type 'Subscription'.","locations":[{"line":1,"column":16}]}}"#
        ),
        now: 0
    )
    #expect(error.count == 1)
    _ = app.send("subscription { ticks(every: 5) }", now: 0)
    #expect(texts(app.command(.complete("2"), now: 0)) == [#"{"id":"2","type":"stop"}"#])
}
