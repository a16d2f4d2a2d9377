import Testing

@testable import WSAuthKit

/// `SocketIOProtocol` driven by the real session machine under a fake clock, with
/// the frames captured from python-socketio (`Captured` in SocketIOTests.swift).
@Suite("Socket.IO through the session machine")
struct SocketIOSessionTests {
    private func session(
        reconnect: Int? = nil,
        _ edit: (inout SessionScript) -> Void = { _ in }
    ) throws -> SessionHarness {
        let settings = try SocketIOSettings()
        var script = SessionScript()
        edit(&script)
        var session = SessionHarness(
            script,
            reconnect: reconnect,
            canRefresh: true,
            hasInput: true,
            app: { token in SocketIOProtocol(settings, token: token) }
        )
        session.open()
        return session
    }

    @Test func aServerDisconnectWithReconnectConnectsAgainWithTheRefreshedToken() throws {
        var session = try session(reconnect: 3)
        session.serverText(Captured.open)
        session.serverText(Captured.connected)
        session.serverText("41")
        session.serverClose(1000)
        #expect(session.refreshes == 1)
        session.refreshed("second")
        session.waitOutBackoff()
        #expect(session.connects == ["first", "second"])
        session.open()
        session.serverText(Captured.open)
        #expect(
            session.writtenTexts.filter { $0.hasPrefix("40") } == [#"40{"token":"first"}"#, #"40{"token":"second"}"#]
        )
    }

    @Test func aConnectErrorIsExit2WithTheServersMessage() throws {
        var session = try session()
        session.serverText(Captured.open)
        session.serverText(Captured.connectError)
        #expect(!session.writtenTexts.contains("41"), "no DISCONNECT for a namespace that was refused")
        session.serverClose(1000)
        session.person(nil)
        #expect(session.rejections.map(\.message) == ["invalid token"])
        #expect(session.exitStatus == .authRejected)
    }

    @Test func aServerThatStopsPingingIsADrop() throws {
        var session = try session()
        session.serverText(Captured.openFastPing)
        session.serverText(Captured.connected)
        session.at(20.9)
        session.serverText(Captured.ping)
        #expect(session.writtenTexts.last == "3")
        session.at(41.8)
        #expect(session.verdict == nil, "a ping resets the watch to pingInterval + pingTimeout")
        session.at(41.9)
        session.person(nil)
        #expect(session.exitStatus == .networkFailure)
    }

    @Test func garbageIsExit3() throws {
        var session = try session()
        session.serverText(Captured.open)
        session.serverText("4garbage")
        #expect(session.sentCloses == [1002])
        session.person(nil)
        #expect(session.exitStatus == .handshakeFailed)
    }

    @Test func everyReceivedFrameIsReportedRawBeforeTheProtocolReadsIt() throws {
        var session = try session()
        session.serverText(Captured.open)
        session.serverText(Captured.connected)
        session.serverText(Captured.ping)
        session.serverText(#"42["welcome",{"user":"alice"}]"#)
        #expect(
            session.rawFrames == [
                .text(Captured.open), .text(Captured.connected), .text(Captured.ping),
                .text(#"42["welcome",{"user":"alice"}]"#),
            ]
        )
        // The raw frames are not messages: only the event is one.
        #expect(session.received == [#"["welcome",{"user":"alice"}]"#])
    }
}
