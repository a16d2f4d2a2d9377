import Testing

@testable import WSAuthKit

/// Events fed in a state that cannot take them are reported as `ProtocolMisuse`
/// (an assertion in debug builds) and change nothing; events that may arrive late
/// are not (docs/ARCHITECTURE.md "State").
@Suite("Out-of-state events")
struct ProtocolMisuseTests {
    private func misuse(_ machine: String, _ event: String, while state: String) -> ProtocolMisuse {
        ProtocolMisuse(machine: machine, event: event, state: state)
    }

    // MARK: SessionMachine

    @Test func aRefreshResultNobodyAskedForIsReportedAndIgnored() {
        let log = MisuseLog()
        var session = SessionHarness(hasInput: true, misuse: log.reporter)
        session.open()
        session.refreshed("second")
        session.record(session.machine.refreshFailed(Failure(.auth, "refresh rejected")))
        #expect(
            log.reported == [
                misuse("SessionMachine", "refreshed", while: "connected"),
                misuse("SessionMachine", "refreshFailed", while: "connected"),
            ]
        )
        #expect(session.machine.token?.reveal() == "first")
        #expect(session.machine.isConnected)
        #expect(session.verdict == nil)
    }

    @Test func aSecondHandshakeOutcomeWhileConnectedIsReportedAndKeepsTheConnection() {
        let log = MisuseLog()
        var session = SessionHarness(hasInput: true, misuse: log.reporter)
        session.open()
        session.open()
        session.connectFails(Failure(.network, "connection refused"))
        #expect(
            log.reported == [
                misuse("SessionMachine", "handshakeOpened", while: "connected"),
                misuse("SessionMachine", "connectFailed", while: "connected"),
            ]
        )
        #expect(session.events.filter { if case .handshake = $0 { true } else { false } }.count == 1)
        session.serverText("still here")
        #expect(session.received == ["still here"])
    }

    @Test func startTwiceAndAChoiceNobodyWasAskedForAreReported() {
        let log = MisuseLog()
        var session = SessionHarness(hasInput: true, misuse: log.reporter)
        session.record(session.machine.start())
        session.person(.reconnect)
        #expect(
            log.reported == [
                misuse("SessionMachine", "start", while: "connecting"),
                misuse("SessionMachine", "personChose", while: "connecting"),
            ]
        )
        #expect(session.connects.count == 1)
    }

    @Test func bytesAfterTheSessionEndedAreReported() {
        let log = MisuseLog()
        var session = SessionHarness(hasInput: true, misuse: log.reporter)
        session.open()
        session.serverClose(1000)
        session.person(nil)
        #expect(session.exitStatus == .success)
        session.serverText("late")
        session.eof()
        #expect(
            log.reported == [
                misuse("SessionMachine", "receive", while: "done"),
                misuse("SessionMachine", "transportEnded", while: "done"),
            ]
        )
        #expect(session.received.isEmpty)
    }

    @Test func lateEventsAfterTheConnectionEndedAreNotMisuse() {
        let log = MisuseLog()
        var session = SessionHarness(hasInput: true, misuse: log.reporter)
        session.open()
        session.serverClose(1000)
        #expect(session.asks == 1)
        // The echo of the server's close, written after the step that ended the connection, fails;
        // input read in the same go, an app answer and a wake-up come after the end too.
        session.record(session.machine.transportFailed(Failure(.network, "broken pipe"), now: session.now))
        session.input(.send(.text("typed late")))
        session.answered(AppHTTPAnswer(tag: "t", .failed("too late")))
        session.at(1)
        #expect(log.reported.isEmpty)
        session.person(nil)
        #expect(session.exitStatus == .success)
    }

    // MARK: ConnectionMachine

    private func connection(_ log: MisuseLog) -> ConnectionMachine {
        var script = SessionScript()
        script.pingInterval = TimeSpan(seconds: 1)
        return ConnectionMachine(
            script: script,
            handshake: SessionHarness.report,
            connection: WebSocketConnection(),
            progress: ScriptProgress(),
            app: nil,
            inputOpen: true,
            sessionDeadlines: [],
            now: 0,
            misuse: log.reporter
        )
    }

    @Test func anEventForAConnectionThatIsOverIsReported() {
        let log = MisuseLog()
        var machine = connection(log)
        var out: [SessionAction] = []
        machine.start(authMessage: nil, early: [], now: 0, &out)
        machine.receive(serverFrame(.close, closeBody(1000)), now: 0, &out)
        #expect(machine.isOver)
        out = []
        machine.receive(serverFrame(.text, Array("late".utf8)), now: 1, &out)
        machine.timerFired(now: 5, &out)
        machine.input(.ping([1]), now: 5, &out)
        #expect(
            log.reported == [
                misuse("ConnectionMachine", "receive", while: "over"),
                misuse("ConnectionMachine", "timerFired", while: "over"),
                misuse("ConnectionMachine", "input", while: "over"),
            ]
        )
        #expect(out.isEmpty, "no message, no ping, no write")
    }

    @Test func inputWhileClosingIsNotMisuseAndSendsNothing() {
        let log = MisuseLog()
        var machine = connection(log)
        var out: [SessionAction] = []
        machine.start(authMessage: nil, early: [], now: 0, &out)
        machine.input(.close(code: nil, reason: ""), now: 0, &out)
        #expect(!machine.isOpen && !machine.isOver)
        out = []
        machine.input(.send(.text("after close")), now: 0.1, &out)
        machine.timerFired(now: 0.2, &out)
        #expect(log.reported.isEmpty)
        #expect(out.isEmpty, "the core sends no data after our close (RFC 6455 §5.5.1)")
    }
}
