import Testing

@testable import WSAuthKit

/// Both GraphQL protocols driven by the real session machine under a fake clock:
/// the close codes of graphql-ws PROTOCOL.md become the exit codes of docs/reference/exit-codes.md, and a
/// reconnect carries the new token and the running subscription.
@Suite("GraphQL through the session machine")
struct GraphQLSessionTests {
    private func session(
        legacy: Bool = false,
        reconnect: Int? = nil,
        _ edit: (inout SessionScript) -> Void = { _ in }
    ) -> SessionHarness {
        var script = SessionScript()
        edit(&script)
        var session = SessionHarness(
            script,
            reconnect: reconnect,
            canRefresh: true,
            hasInput: true,
            app: { token in
                legacy ? GraphQLWSLegacyProtocol(token: token) as any AppSession : GraphQLWSProtocol(token: token)
            }
        )
        session.open()
        return session
    }

    @Test(arguments: [UInt16(4401), 4403])
    func anAuthCloseBeforeTheAckIsARefusalExit2(code: UInt16) {
        var session = session()
        session.serverClose(code)
        session.person(nil)
        #expect(session.rejections.first?.message?.hasPrefix("close \(code) ") == true)
        #expect(session.exitStatus == .authRejected)
    }

    @Test(arguments: [UInt16(4400), 4408, 4409, 4429])
    func aProtocolErrorCloseIsExit3(code: UInt16) {
        var session = session()
        session.serverText(#"{"type":"connection_ack"}"#)
        session.serverClose(code)
        session.person(nil)
        #expect(session.rejections.isEmpty)
        #expect(session.exitStatus == .handshakeFailed)
    }

    @Test func expectCloseStillDecidesForTheCodesItNames() {
        var session = session { $0.expectClose = [4408] }
        session.serverClose(4408)
        session.person(nil)
        #expect(session.exitStatus == .success)
    }

    @Test func legacyConnectionErrorWithStrawberrysCloseIsExit2() {
        var session = session(legacy: true)
        session.serverText(#"{"type":"connection_error","payload":{"message":"invalid token"}}"#)
        session.serverClose(1011)
        session.person(nil)
        #expect(session.rejections.map(\.message) == ["invalid token"])
        #expect(session.exitStatus == .authRejected)
    }

    @Test(arguments: [false, true])
    func anExpiryCloseAfterTheAckReconnectsWithTheNewTokenAndSubscribesAgain(legacy: Bool) {
        var session = session(legacy: legacy, reconnect: 3) { $0.sends = [.text("subscription { ticks }")] }
        session.serverText(#"{"type":"connection_ack"}"#)
        session.serverClose(4403)
        #expect(session.refreshes == 1)
        session.refreshed("second")
        session.waitOutBackoff()
        session.open()
        session.serverText(#"{"type":"connection_ack"}"#)
        #expect(session.connects == ["first", "second"])
        let inits = session.writtenTexts.filter { $0.contains("connection_init") }
        #expect(inits.map { $0.contains("Bearer first") } == [true, false])
        #expect(inits.last?.contains("Bearer second") == true)
        let op = legacy ? "start" : "subscribe"
        #expect(session.writtenTexts.filter { $0.contains(#""type":"\#(op)""#) }.count == 2)
    }
}
