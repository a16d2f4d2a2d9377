import Testing

@testable import WSAuthKit

/// Reconnect, refresh, backoff, keepalive, the script and the verdict, under a
/// fake clock (docs/ARCHITECTURE.md "How a session runs": each path named there has a case here).
@Suite("Session machine")
struct SessionMachineTests {
    private func script(_ edit: (inout SessionScript) throws -> Void) rethrows -> SessionScript {
        var script = SessionScript()
        try edit(&script)
        return script
    }

    // MARK: Reconnect

    @Test func authCloseCodeRefreshesOnceThenReconnectsAfterBackoff() {
        var session = SessionHarness(reconnect: 3, canRefresh: true, hasInput: true)
        session.open()
        session.serverClose(4001, "token expired")
        #expect(session.closes.map(\.code) == [4001])
        #expect(session.closes.first?.auth == true)
        #expect(session.refreshes == 1)
        #expect(session.connects == ["first"])
        session.refreshed("second")
        #expect(session.reconnects.map(\.delayMs) == [1000])
        #expect(session.reconnects.first?.cause == "close 4001 \"token expired\"")
        session.at(0.5)
        #expect(session.connects == ["first"], "no reconnect before the backoff is over")
        session.waitOutBackoff()
        #expect(session.now == 1)
        #expect(session.connects == ["first", "second"])
        #expect(session.verdict == nil)
    }

    @Test func aRefreshedTokenClosedAtOnceAgainEndsWithExit2InsteadOfLooping() {
        var session = SessionHarness(reconnect: 5, canRefresh: true, hasInput: true)
        session.open()
        session.serverClose(4001, "token expired")
        session.refreshed("second")
        session.waitOutBackoff()
        session.open()
        session.at(session.now + 0.2)
        session.serverClose(4001, "token expired")
        #expect(session.refreshes == 1, "no second refresh for a token refused at once")
        #expect(session.connects == ["first", "second"])
        session.person(nil)
        #expect(session.exitStatus == .authRejected)
        #expect(
            session.verdict??.message
                == "the refreshed token was refused too (close 4001 \"token expired\"): refreshing again will not help"
        )
    }

    @Test func aRefreshedTokenThatLastedRefreshesAgainAtItsOwnExpiry() {
        var session = SessionHarness(reconnect: 5, canRefresh: true, hasInput: true)
        session.open()
        session.serverClose(4001, "token expired")
        session.refreshed("second")
        session.waitOutBackoff()
        session.open()
        session.at(session.now + 2)
        session.serverClose(4001, "token expired")
        #expect(session.refreshes == 2, "one refresh per expiry")
        #expect(session.verdict == nil)
    }

    @Test func aDropBacksOffWithoutRefreshingAndTheDelayDoubles() {
        var session = SessionHarness(reconnect: 5, canRefresh: true, hasInput: true)
        session.open()
        session.eof()
        #expect(session.closes.map(\.code) == [1006])
        #expect(session.refreshes == 0)
        session.waitOutBackoff()
        session.connectFails(Failure(.network, "connection refused"))
        session.waitOutBackoff()
        #expect(session.reconnects.map(\.delayMs) == [1000, 2000])
        #expect(session.reconnects.last?.cause == "connection refused")
        #expect(session.connects.count == 3)
        #expect(session.refreshes == 0)
    }

    @Test func a401AtTheHandshakeRefreshesOnceThenGivesUp() {
        var session = SessionHarness(reconnect: 5, canRefresh: true)
        session.refuse(401)
        #expect(session.refreshes == 1)
        session.refreshed("second")
        session.waitOutBackoff()
        #expect(session.connects == ["first", "second"])
        session.refuse(401)
        #expect(session.refreshes == 1, "one refresh per expiry")
        #expect(session.asks == 1)
        session.person(nil)
        #expect(session.exitStatus == .authRejected)
    }

    @Test func a401WithoutReconnectEndsWithExit2() {
        var session = SessionHarness(canRefresh: true)
        session.refuse(401)
        session.person(nil)
        #expect(session.refreshes == 0)
        #expect(session.exitStatus == .authRejected)
    }

    @Test func exhaustedRetriesSayHowManyAndExit4() {
        var session = SessionHarness(reconnect: 2)
        for _ in 0..<3 {
            session.connectFails(Failure(.network, "connection refused"))
            session.waitOutBackoff()
        }
        #expect(session.exitStatus == .networkFailure)
        #expect(session.verdict??.message == "connection refused (gave up after 2 reconnect attempts)")
        #expect(session.connects.count == 3)
    }

    @Test func aFailedRefreshEndsTheSessionWithItsFailure() {
        var session = SessionHarness(reconnect: 2, canRefresh: true)
        session.refuse(401)
        session.record(session.machine.refreshFailed(Failure(.auth, "refresh rejected: HTTP 400")))
        #expect(session.exitStatus == .authRejected)
        #expect(session.verdict??.message == "refresh rejected: HTTP 400")
    }

    @Test func thePersonsRefreshClosesWith1001AndReconnectsAtOnce() {
        var session = SessionHarness(canRefresh: true, hasInput: true)
        session.open()
        session.input(.refreshAndReconnect)
        #expect(session.sentCloses == [1001])
        session.serverClose(1001)
        #expect(session.refreshes == 1)
        session.refreshed("second")
        #expect(session.connects == ["first", "second"])
        #expect(session.reconnects.isEmpty, "the person asked: no backoff")
    }

    // MARK: Script

    @Test func expectationsAreMetInOrderAcrossReconnects() throws {
        let script = try script { $0.expectations = [try .init("^a$"), try .init("^b$")] }
        var session = SessionHarness(script, reconnect: 3)
        session.open()
        session.serverText("b")
        session.serverText("a")
        session.eof()
        session.waitOutBackoff()
        session.open()
        #expect(session.sentCloses.isEmpty)
        session.serverText("b")
        #expect(session.sentCloses == [1000])
        session.serverClose(1000)
        session.person(nil)
        #expect(session.exitStatus == .success)
    }

    @Test func countSpansReconnects() {
        var session = SessionHarness(script { $0.count = 3 }, reconnect: 3)
        session.open()
        session.serverText("1")
        session.serverText("2")
        session.eof()
        session.waitOutBackoff()
        session.open()
        session.serverText("3")
        #expect(session.sentCloses == [1000])
        session.serverClose(1000)
        session.person(nil)
        #expect(session.exitStatus == .success)
        #expect(session.received == ["1", "2", "3"])
    }

    @Test func scriptedSendsGoOnceAcrossReconnects() {
        var session = SessionHarness(
            script {
                $0.sends = [.text("hello")]
                $0.count = 2
            },
            reconnect: 3
        )
        session.open()
        session.eof()
        session.waitOutBackoff()
        session.open()
        #expect(session.writtenTexts == ["hello"])
    }

    @Test func expectCloseMetIsSuccess() {
        var session = SessionHarness(script { $0.expectClose = [4000] })
        session.open()
        session.serverClose(4000)
        session.person(nil)
        #expect(session.exitStatus == .success)
    }

    @Test func expectCloseMetByAnotherCodeIsExit5() {
        var session = SessionHarness(script { $0.expectClose = [4000] })
        session.open()
        session.serverClose(1000)
        session.person(nil)
        #expect(session.exitStatus == .timeout)
        #expect(session.verdict??.message.contains("expected 4000 (--expect-close)") == true)
    }

    @Test func expectCloseNotWithinTheDeadlineIsExit5() {
        var session = SessionHarness(
            script {
                $0.expectClose = [4000]
                $0.within = TimeSpan(seconds: 2)
            }
        )
        session.open()
        #expect(session.machine.nextDeadline == 2)
        session.at(2)
        #expect(session.sentCloses == [1000])
        session.serverClose(1000)
        session.person(nil)
        #expect(session.exitStatus == .timeout)
        #expect(session.verdict??.message == "the server did not close within 2s (--expect-close)")
    }

    @Test func timeoutClosesAndSaysWhatWasPending() throws {
        var session = SessionHarness(
            try script {
                $0.expectations = [try .init("never")]
                $0.timeout = TimeSpan(seconds: 3)
            }
        )
        session.open()
        session.at(2.9)
        #expect(session.sentCloses.isEmpty)
        session.at(3)
        #expect(session.sentCloses == [1000])
        session.serverClose(1000)
        session.person(nil)
        #expect(session.exitStatus == .timeout)
        #expect(session.verdict??.message == "timed out (--timeout) waiting for a message matching --expect 'never'")
    }

    @Test func maxTimeEndsEvenWhenTheServerNeverAnswersOurClose() {
        var session = SessionHarness(script { $0.count = 1 }, hasInput: true, maxTime: 1)
        session.open()
        session.at(1)
        #expect(session.sentCloses == [1000])
        session.at(1 + CloseHandshake.wait)
        session.person(nil)
        #expect(session.exitStatus == .timeout)
        #expect(session.verdict??.message == "timed out (-m/--max-time) after 0 of 1 messages (--count)")
    }

    // MARK: End of input

    @Test func withNoInputAndNoScriptItClosesAtOnce() {
        var session = SessionHarness()
        session.open()
        #expect(session.sentCloses == [1000])
    }

    @Test func theEndOfStdinWaitsForTheServerToBeQuiet() {
        var session = SessionHarness(hasInput: true)
        session.open()
        session.input(.send(.text("hi")))
        session.now = 1
        session.input(.endOfInput)
        #expect(session.machine.nextDeadline == 1.5)
        session.now = 1.2
        session.serverText("answer")
        #expect(session.machine.nextDeadline == 1.7)
        session.at(1.6)
        #expect(session.sentCloses.isEmpty)
        session.at(1.7)
        #expect(session.sentCloses == [1000])
        session.serverClose(1000)
        session.person(nil)
        #expect(session.exitStatus == .success)
        #expect(session.received == ["answer"])
    }

    @Test func aChattyServerIsLeftAfterTheLinger() {
        var session = SessionHarness(hasInput: true)
        session.open()
        session.input(.send(.text("hi")))
        session.input(.endOfInput)
        for tick in stride(from: 0.3, to: 5.0, by: 0.3) {
            session.now = tick
            session.serverText("more")
            session.at(tick)
        }
        #expect(session.sentCloses.isEmpty)
        session.at(5)
        #expect(session.sentCloses == [1000])
    }

    // MARK: Keepalive

    @Test func pingsGoOutAtTheIntervalAndTheirPongsAreTimed() {
        var session = SessionHarness(script { $0.pingInterval = TimeSpan(seconds: 1) }, hasInput: true)
        session.open()
        session.at(1)
        let ping = session.written.filter { $0.opcode == .ping }
        #expect(ping.count == 1)
        #expect(session.pings.map(\.direction) == [.out])
        session.now = 1.25
        session.server(serverFrame(.pong, ping[0].payload))
        #expect(session.pongs.first?.rttMs == 250)
        session.at(2)
        #expect(session.written.filter { $0.opcode == .ping }.count == 2)
    }

    @Test func anUnansweredPingIsADrop() {
        var session = SessionHarness(script { $0.pingInterval = TimeSpan(seconds: 1) }, hasInput: true)
        session.open()
        session.at(1)
        session.at(2.9)
        #expect(session.verdict == nil)
        session.at(3)
        #expect(session.closes.map(\.reason) == ["pong timeout"])
        session.person(nil)
        #expect(session.exitStatus == .networkFailure)
        #expect(
            session.verdict??.message == "connection dropped: no pong within 2s of a ping: the peer is unresponsive"
        )
    }

    @Test func theAutomaticPongIsAnOutgoingPongEvent() {
        var session = SessionHarness(hasInput: true)
        session.open()
        session.server(serverFrame(.ping, Array("are you there".utf8)))
        #expect(session.pings.map(\.direction) == [.in])
        #expect(session.pongs.map(\.direction) == [.out])
        #expect(session.pongs.first?.data == Array("are you there".utf8))
        #expect(session.written.map(\.opcode) == [.pong])
    }

    @Test func aPingAfterTheServersCloseIsNotAnswered() {
        var session = SessionHarness(hasInput: true)
        session.open()
        session.server(serverFrame(.close, closeBody(1000)) + serverFrame(.ping, [1]))
        #expect(session.pongs.isEmpty)
    }

    // MARK: Verdicts

    @Test(arguments: [
        (UInt16?.some(1000), WSAuthKit.ExitStatus.success), (1001, .success), (nil, .success),
        (4001, .authRejected), (1008, .authRejected), (1011, .abnormalClose), (4500, .abnormalClose),
    ])
    func serverCloseCodesMakeTheVerdict(code: UInt16?, status: WSAuthKit.ExitStatus) {
        var session = SessionHarness(hasInput: true)
        session.open()
        session.serverClose(code)
        session.person(nil)
        #expect(session.exitStatus == status)
        #expect(session.closes.map(\.initiator) == [.server])
        #expect(session.sentCloses == [code ?? 1005], "the echo of the server's close")
    }

    @Test func aCleanCloseWhileTheScriptIsPendingIsExit5() {
        var session = SessionHarness(script { $0.count = 2 })
        session.open()
        session.serverText("one")
        session.serverClose(1000)
        session.person(nil)
        #expect(session.exitStatus == .timeout)
        #expect(session.verdict??.message.contains("received 1 of 2 messages (--count)") == true)
    }

    @Test func aProtocolViolationClosesWith1002AndExits3() {
        var session = SessionHarness(hasInput: true, token: nil)
        session.open()
        session.server(hex("83 00"))
        #expect(session.sentCloses == [1002])
        #expect(session.closes.map(\.initiator) == [.client])
        // Our close is written, then the driver waits for the server to close TCP
        // rather than resetting the connection with the server's bytes unread.
        #expect(session.connectionEnds == [true])
        #expect(session.endsFollowWrites)
        session.person(nil)
        #expect(session.exitStatus == .handshakeFailed)
    }

    @Test func aMessageOverTheLimitClosesWith1009AndWaitsForTheServer() {
        var session = SessionHarness(hasInput: true, token: nil)
        session.open()
        // A binary frame announcing 2^40 bytes: far over the default limit.
        session.server(hex("82 7f 00 00 01 00 00 00 00 00"))
        #expect(session.sentCloses == [1009])
        #expect(session.connectionEnds == [true])
        #expect(session.endsFollowWrites)
    }

    @Test func aCleanCloseEndsTCPWithoutWaiting() {
        var session = SessionHarness(hasInput: true)
        session.open()
        session.serverClose(1000)
        #expect(session.connectionEnds == [false])
    }

    @Test func aDropWithoutReconnectIsExit4AndAsksThePerson() {
        var session = SessionHarness(hasInput: true)
        session.open()
        session.eof()
        #expect(session.asks == 1)
        session.person(.reconnect)
        #expect(session.connects.count == 2)
    }
}
