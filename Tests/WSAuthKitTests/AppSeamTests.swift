import Testing

@testable import WSAuthKit

/// A tiny application protocol for the seam: `ok` accepts, `no:MSG` refuses,
/// `msg:TEXT` delivers, `bye` ends the session, `ka` is a keepalive (answered),
/// `?` is unknown, `disc:refused|renew|final` ends it with a reason code (MQTT's
/// DISCONNECT), anything else breaks the protocol; ten silent seconds time out.
/// Once accepted, a drop is blamed on the token (as MQTT's is).
/// With `receipts`, its goodbye waits for `receipt` before the WebSocket closes (STOMP).
private struct FakeApp: AppSession {
    let name = "fake"
    let subprotocols: [String] = []
    let token: String?
    var silenceDeadline: Double?
    var receipts = false
    var accepted = false

    var nextDeadline: Double? { silenceDeadline }

    mutating func start(now: Double) -> [AppAction] {
        silenceDeadline = now + 10
        return [.transmit(.text("auth:\(token ?? "")"), carriesCredential: true)]
    }

    mutating func receive(_ message: MessagePayload, now: Double) -> [AppAction] {
        guard case .text(let text) = message else { return [.violation("a binary message")] }
        silenceDeadline = now + 10
        if text == "ok" {
            accepted = true
            return [.accepted(AppHandshake(app: name, details: [("sid", "1")]))]
        }
        if text.hasPrefix("disc:") {
            let outcomes: [String: (AppDisconnectOutcome, String)] = [
                "refused": (.refused, "0x87 Not authorized"), "renew": (.renew, "0xA0 Maximum connect time"),
                "final": (.final, "0x8E Session taken over"),
            ]
            guard let (outcome, code) = outcomes[String(text.dropFirst(5))] else {
                return [.violation("unknown outcome")]
            }
            return [.serverDisconnected(reasonCode: code, message: "DISCONNECT \(text.dropFirst(5))", outcome: outcome)]
        }
        if text.hasPrefix("no:") { return [.rejected(message: String(text.dropFirst(3)))] }
        if text.hasPrefix("msg:") { return [.deliver(AppMessage(text: String(text.dropFirst(4)), label: "event"))] }
        if text == "bye" { return [.serverEnded(reason: "server disconnect")] }
        if text == "ka" {
            return [
                .keepalive(AppKeepalive(.ping, .in, data: "ka")), .transmit(.text("ka-ack"), carriesCredential: false),
                .keepalive(AppKeepalive(.pong, .out, data: "ka-ack")),
            ]
        }
        if text.hasPrefix("ack:") {
            return [.deliver(AppMessage(text: String(text.dropFirst(4)), label: "ack", counts: false))]
        }
        if text == "subscribe then authorize" {
            return [
                .transmit(.text("subscribe:lobby"), carriesCredential: false),
                .request(AppHTTPRequest(tag: "private-a", url: "http://127.0.0.1:9/auth", body: Array("a".utf8))),
            ]
        }
        if text == "authorize" {
            return [.request(AppHTTPRequest(tag: "private-a", url: "http://127.0.0.1:9/auth", body: Array("a".utf8)))]
        }
        if text == "?" { return [.notice("unknown packet '?'")] }
        if text == "receipt" { return [.closeWebSocket] }
        return [.violation("unexpected '\(text)'")]
    }

    /// The HTTP step: a 200 whose body is `ok` accepts, anything else refuses.
    mutating func answered(_ answer: AppHTTPAnswer, now: Double) -> [AppAction] {
        switch answer.outcome {
        case .response(200, _, let body) where body == Array("ok".utf8):
            return [.accepted(AppHandshake(app: name, details: [("authorized", answer.tag)]))]
        case .response(let status, _, _): return [.rejected(message: "\(answer.tag): \(status)")]
        case .failed(let why): return [.rejected(message: "\(answer.tag): \(why)")]
        }
    }

    mutating func send(_ line: String, now: Double) -> [AppAction] {
        [.transmit(.text("say:\(line)"), carriesCredential: false)]
    }

    mutating func timerFired(now: Double) -> [AppAction] {
        [.timedOut("no keepalive from the server within 10s")]
    }

    func dropCause(_ message: String) -> String? {
        accepted ? "the fake session dropped: \(message)" : nil
    }

    mutating func finish(now: Double) -> [AppAction] {
        let goodbye = AppAction.transmit(.text("goodbye"), carriesCredential: false)
        return receipts ? [goodbye] : [goodbye, .closeWebSocket]
    }
}

/// Reads every close as the app's end, as MQTT's `closeVerdict` does after CONNACK.
private struct ClosingApp: AppSession {
    let name = "closing"
    let subprotocols: [String] = []
    var nextDeadline: Double? { nil }
    mutating func start(now: Double) -> [AppAction] { [] }
    mutating func receive(_ message: MessagePayload, now: Double) -> [AppAction] { [] }
    mutating func send(_ line: String, now: Double) -> [AppAction] { [] }
    mutating func timerFired(now: Double) -> [AppAction] { [] }
    mutating func finish(now: Double) -> [AppAction] { [.closeWebSocket] }
    func closeVerdict(code: UInt16, reason: String) -> AppCloseVerdict? {
        code == 1005 ? .ended("close \(code)") : nil
    }
}

@Suite("Application-protocol seam")
struct AppSeamTests {
    private let fake: AppSessionFactory = { token in FakeApp(token: token?.reveal()) }

    private func session(
        _ edit: (inout SessionScript) -> Void = { _ in },
        reconnect: Int? = nil,
        hasInput: Bool = true
    ) -> SessionHarness {
        var script = SessionScript()
        edit(&script)
        var session = SessionHarness(script, reconnect: reconnect, canRefresh: true, hasInput: hasInput, app: fake)
        session.open()
        return session
    }

    @Test func theAppSpeaksFirstAndScriptedSendsWaitForItsHandshake() {
        var session = session {
            $0.sends = [.text("hello")]
            $0.count = 5
        }
        #expect(session.writtenTexts == ["auth:first"])
        #expect(session.sent.map(\.carriesCredential) == [true])
        session.serverText("ok")
        #expect(session.writtenTexts == ["auth:first", "say:hello"])
        #expect(session.notes == ["fake session open (sid=1)"])
    }

    @Test func inputLinesAreSentInTheAppsTerms() {
        var session = session()
        session.serverText("ok")
        session.input(.send(.text("x")))
        session.input(.send(.binary([1])))
        #expect(session.writtenTexts == ["auth:first", "say:x"])
        #expect(session.notes.last == "binary input cannot be sent as a fake message; not sent")
    }

    @Test func anAppRejectionIsARejectedEventAndExit2() {
        var session = session()
        session.serverText("no:bad token")
        #expect(session.rejections.map(\.app) == ["fake"])
        #expect(session.rejections.map(\.message) == ["bad token"])
        #expect(session.writtenTexts == ["auth:first", "goodbye"])
        #expect(session.sentCloses == [1000])
        session.serverClose(1000)
        session.person(nil)
        #expect(session.exitStatus == .authRejected)
        #expect(
            session.verdict??.message
                == "fake refused the credentials: bad token; run 'wsauth refresh' or use --reconnect"
        )
    }

    @Test func anAppRejectionWithReconnectRefreshesOnceAndRetriesWithTheNewToken() {
        var session = session(reconnect: 3)
        session.serverText("no:expired")
        session.serverClose(1000)
        #expect(session.refreshes == 1)
        session.refreshed("second")
        session.waitOutBackoff()
        #expect(session.connects == ["first", "second"])
        session.open()
        #expect(session.writtenTexts.last == "auth:second")
        session.serverText("no:still expired")
        session.serverClose(1000)
        #expect(session.refreshes == 1, "refused right after a refresh: no second refresh")
        session.person(nil)
        #expect(session.exitStatus == .authRejected)
    }

    @Test func deliveredMessagesAreShownAndMatchExpect() throws {
        let expectation = try SessionScript.Expectation("^X$")
        var session = session { $0.expectations = [expectation] }
        session.serverText("ok")
        session.serverText("msg:Y")
        #expect(session.sentCloses.isEmpty)
        session.serverText("msg:X")
        #expect(session.received == ["Y", "X"])
        #expect(session.writtenTexts.last == "goodbye", "the app's goodbye goes before our close")
        #expect(session.sentCloses == [1000])
        session.serverClose(1000)
        session.person(nil)
        #expect(session.exitStatus == .success)
    }

    @Test func anAnswerToSomethingWeSentNeverCountsTowardCountButMatchesExpect() throws {
        let expectation = try SessionScript.Expectation("^A$")
        var session = session {
            $0.count = 1
            $0.expectations = [expectation]
        }
        session.serverText("ok")
        session.serverText("ack:A")
        #expect(session.received == ["A"])
        #expect(session.sentCloses.isEmpty, "the ACK matched --expect but is not the one message --count waits for")
        session.serverText("msg:B")
        #expect(session.sentCloses == [1000])
    }

    @Test func theHTTPStepGoesToTheDriverAndItsAnswerBackToTheApp() {
        var session = session()
        session.serverText("authorize")
        #expect(
            session.appRequests == [
                AppHTTPRequest(tag: "private-a", url: "http://127.0.0.1:9/auth", body: Array("a".utf8))
            ]
        )
        #expect(session.notes.isEmpty, "nothing is decided before the answer")
        session.answered(AppHTTPAnswer(tag: "private-a", .response(status: 200, headers: [], body: Array("ok".utf8))))
        #expect(session.notes == ["fake session open (authorized=private-a)"])
    }

    @Test func whatWasQueuedBeforeTheHTTPStepIsWrittenBeforeItInTheOrderOfItsSentEvent() {
        var session = session()
        session.serverText("ok")
        let before = session.log.count
        session.serverText("subscribe then authorize")
        let step = Array(session.log[before...])
        let order = step.compactMap { action -> String? in
            switch action {
            case .write: "write"
            case .appRequest: "request"
            case .emit(let event): if case .sent = event.kind { "sent" } else { nil }
            default: nil
            }
        }
        // The driver performs the request when it comes to it: the write must not wait behind it.
        #expect(order == ["sent", "write", "request"])
    }

    @Test func aRefusedHTTPStepIsTheAppsRejection() {
        var session = session()
        session.serverText("authorize")
        session.answered(AppHTTPAnswer(tag: "private-a", .response(status: 403, headers: [], body: [])))
        #expect(session.rejections.map(\.message) == ["private-a: 403"])
        session.serverClose(1000)
        session.person(nil)
        #expect(session.exitStatus == .authRejected)
    }

    @Test func anAnswerAfterTheConnectionIsOverIsDropped() {
        var session = session()
        session.serverText("authorize")
        session.serverClose(1000)
        let before = session.log.count
        session.answered(AppHTTPAnswer(tag: "private-a", .failed("timeout")))
        #expect(session.log.count == before)
    }

    @Test func rawMessagesGoToTheAppNotToTheScript() {
        var session = session { $0.count = 1 }
        session.serverText("ok")
        #expect(session.received.isEmpty)
        #expect(session.sentCloses.isEmpty)
    }

    @Test func aServerEndIsExit6() {
        var session = session()
        session.serverText("ok")
        session.serverText("bye")
        #expect(session.sentCloses == [1000])
        session.serverClose(1000)
        session.person(nil)
        #expect(session.exitStatus == .abnormalClose)
        #expect(session.verdict??.message == "the server ended the fake session: server disconnect")
    }

    @Test func aServerEndAndTheServersCloseInOneReadKeepTheAppsReason() {
        var session = session()
        session.serverText("ok")
        session.server(
            serverFrame(.text, Array("bye".utf8)) + serverFrame(.close, [0x03, 0xE8] + Array("STOMP died".utf8))
        )
        session.person(nil)
        #expect(session.exitStatus == .abnormalClose)
        #expect(session.verdict??.message == "the server ended the fake session: server disconnect")
    }

    @Test func aServerEndWithReconnectRefreshesAndReconnects() {
        var session = session(reconnect: 3)
        session.serverText("ok")
        session.serverText("bye")
        session.serverClose(1000)
        #expect(session.refreshes == 1)
        session.refreshed("second")
        #expect(session.reconnects.first?.cause == "the server ended the fake session: server disconnect")
        session.waitOutBackoff()
        #expect(session.connects == ["first", "second"])
    }

    @Test func aDisconnectThatRefusesIsARejectionWhoseCodeIsTheCloseReason() {
        var session = session()
        session.serverText("ok")
        session.serverText("disc:refused")
        #expect(session.rejections.map(\.message) == ["DISCONNECT refused"])
        session.serverClose(1000)
        #expect(session.closes.map(\.reason) == ["0x87 Not authorized"])
        session.person(nil)
        #expect(session.exitStatus == .authRejected)
    }

    @Test(arguments: ["disc:refused", "disc:renew"])
    func aDisconnectThatBlamesTheTokenRefreshesAndReconnectsWithReconnect(_ text: String) {
        var session = session(reconnect: 3)
        session.serverText("ok")
        session.serverText(text)
        session.serverClose(1000)
        #expect(session.refreshes == 1)
        session.refreshed("second")
        session.waitOutBackoff()
        #expect(session.connects == ["first", "second"])
    }

    @Test func aFinalDisconnectEndsTheSessionEvenWithReconnect() {
        var session = session(reconnect: 3)
        session.serverText("ok")
        session.serverText("disc:final")
        #expect(session.sentCloses == [1000])
        session.serverClose(1000)
        #expect(session.closes.map(\.reason) == ["0x8E Session taken over"])
        #expect(session.refreshes == 0 && session.reconnects.isEmpty)
        session.person(nil)
        #expect(session.exitStatus == .abnormalClose)
        #expect(session.verdict??.message == "the server ended the fake session: DISCONNECT final")
    }

    @Test func aDropTheAppBlamesOnTheTokenRefreshesBeforeItReconnects() {
        var session = session(reconnect: 3)
        session.serverText("ok")
        session.eof()
        #expect(session.refreshes == 1)
        session.refreshed("second")
        #expect(
            session.reconnects.first?.cause
                == "the fake session dropped: the server closed the TCP connection without a close frame (1006)"
        )
        session.waitOutBackoff()
        #expect(session.connects == ["first", "second"])
    }

    @Test func aDropTheAppBlamesIsStillExit4WithoutReconnect() {
        var session = session()
        session.serverText("ok")
        session.eof()
        session.person(nil)
        #expect(session.exitStatus == .networkFailure)
        #expect(session.refreshes == 0)
    }

    @Test func aDropBeforeTheAppAcceptedIsAPlainDrop() {
        var session = session(reconnect: 3)
        session.eof()
        #expect(session.refreshes == 0)
        #expect(session.reconnects.first?.cause == "the server closed the TCP connection without a close frame (1006)")
    }

    @Test func aCloseWithoutStatusIsJudgedByTheAppAs1005() {
        var session = SessionHarness(
            SessionScript(),
            reconnect: 3,
            canRefresh: true,
            hasInput: true,
            app: { _ in ClosingApp() }
        )
        session.open()
        session.serverClose(nil)
        #expect(session.refreshes == 1)
    }

    @Test func appKeepalivesArePingAndPongEvents() {
        var session = session()
        session.serverText("ka")
        #expect(session.pings.map(\.direction) == [.in])
        #expect(session.pings.first?.data == Array("ka".utf8))
        #expect(session.pongs.map(\.direction) == [.out])
        #expect(session.writtenTexts.last == "ka-ack")
    }

    @Test func theAppsTimeoutIsADrop() {
        var session = session()
        session.at(9.9)
        #expect(session.verdict == nil)
        session.at(10)
        #expect(session.closes.map(\.code) == [1006])
        session.person(nil)
        #expect(session.exitStatus == .networkFailure)
        #expect(session.verdict??.message == "connection dropped: no keepalive from the server within 10s")
    }

    @Test func anAppViolationClosesWith1002AndExits3() {
        var session = session()
        session.serverText("zzz")
        #expect(session.sentCloses == [1002])
        session.person(nil)
        #expect(session.exitStatus == .handshakeFailed)
        #expect(
            session.verdict??.message == "fake protocol violation by the server: unexpected 'zzz'; closed with 1002"
        )
    }

    @Test func appCommandsReachTheProtocolAndItsDefaultSaysItHasNone() {
        var session = session()
        session.serverText("ok")
        session.input(.app(.subscribe("{ ticks }")))
        #expect(session.notes.last == "/subscribe is not a fake command")
        #expect(session.writtenTexts == ["auth:first"])
    }

    @Test func appCommandsWithoutAnAppSayTheyNeedOne() {
        var session = SessionHarness(SessionScript(), reconnect: nil, canRefresh: true, hasInput: true)
        session.open()
        session.input(.app(.complete("1")))
        #expect(session.notes.last == "/complete needs --app")
    }

    @Test func aGoodbyeThatAsksForAnAnswerHoldsOurCloseUntilItComes() {
        var session = SessionHarness(
            SessionScript(),
            hasInput: true,
            app: { token in
                var app = FakeApp(token: token?.reveal())
                app.receipts = true
                return app
            }
        )
        session.open()
        session.serverText("ok")
        session.input(.close(code: .normalClosure, reason: ""))
        #expect(session.writtenTexts.last == "goodbye")
        #expect(session.sentCloses.isEmpty, "the close waits for the receipt")
        session.serverText("receipt")
        #expect(session.sentCloses == [1000])
    }

    @Test func anUnansweredGoodbyeClosesAfterTheWait() {
        var session = SessionHarness(
            SessionScript(),
            hasInput: true,
            app: { token in
                var app = FakeApp(token: token?.reveal())
                app.receipts = true
                return app
            }
        )
        session.open()
        session.serverText("ok")
        session.input(.close(code: .normalClosure, reason: ""))
        #expect(session.sentCloses.isEmpty)
        #expect(session.machine.nextDeadline == ConnectionMachine.goodbyeWait)
        session.at(ConnectionMachine.goodbyeWait)
        #expect(session.sentCloses == [1000])
        session.serverClose(1000)
        #expect(session.closes.map(\.code) == [1000])
    }

    @Test func noticesAreNotes() {
        var session = session()
        session.serverText("?")
        #expect(session.notes == ["unknown packet '?'"])
    }

    @Test func withoutInputTheQuietPeriodWaitsForTheAppHandshake() {
        var session = session(hasInput: false)
        #expect(session.sentCloses.isEmpty)
        session.now = 1
        session.serverText("ok")
        #expect(session.machine.nextDeadline == 1.5)
        session.at(1.5)
        #expect(session.writtenTexts.last == "goodbye")
        #expect(session.sentCloses == [1000])
    }

    @Test func withoutInputAnAppThatNeverAcceptsIsLeftAfterTheLinger() {
        var session = session(hasInput: false)
        #expect(session.machine.nextDeadline == QuietPeriod.linger)
        session.at(QuietPeriod.linger)
        #expect(session.sentCloses == [1000])
    }
}

@Suite("App-level rejection event")
struct AppRejectionEventTests {
    private func json(_ report: RejectionReport, token: String? = nil) -> String {
        let redactor = Redactor(showSecrets: false)
        if let token { redactor.register(token: Secret(token)) }
        let time = Timestamp(timeIntervalSince1970: 1_796_657_789.279)
        return Event(.rejected(report)).json(redactor: redactor, time: time)?.serialized(redactor: redactor) ?? ""
    }

    /// The time is the output's, given as it writes the event: an event carries none.
    @Test func isStampedWithTheTimeItIsWritten() {
        let text = json(
            RejectionReport(
                url: "ws://h/",
                status: 401,
                statusLine: "HTTP/1.1 401 Unauthorized",
                headers: [],
                body: "",
                wwwAuthenticate: nil
            )
        )
        #expect(text.hasPrefix(#"{"event":"rejected","time":"2026-12-07T15:36:29.279Z","#))
    }

    @Test func carriesTheAppAndItsMessage() {
        let text = json(
            RejectionReport(
                url: "ws://h/",
                status: 101,
                statusLine: "HTTP/1.1 101 Switching Protocols",
                headers: [],
                body: "",
                wwwAuthenticate: nil,
                app: "socketio",
                message: "invalid credentials for abcdefghijklmnop"
            ),
            token: "abcdefghijklmnop"
        )
        #expect(text.contains(#""app":"socketio""#))
        #expect(text.contains(#""message":"invalid credentials for "#))
        #expect(!text.contains("abcdefghijklmnop"), "a server echoing the token in its refusal is redacted")
    }

    @Test func anHTTPRejectionHasNoAppFields() {
        let text = json(
            RejectionReport(
                url: "ws://h/",
                status: 401,
                statusLine: "HTTP/1.1 401 Unauthorized",
                headers: [],
                body: "",
                wwwAuthenticate: nil
            )
        )
        #expect(!text.contains(#""app""#))
        #expect(!text.contains(#""message""#))
    }
}
