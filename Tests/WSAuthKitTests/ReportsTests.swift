import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The CI reports as values (docs/ci.md): which step of a run failed or was skipped,
/// the escaping of workflow commands and Markdown cells, redaction before escaping,
/// and the shape of the SARIF log. Readers written by others check the files in
/// Tests/interop/test_reports.py.
struct ReportsTests {
    static let handshake = HandshakeReport.switched(url: "ws://h/ws", requestLine: "GET /ws HTTP/1.1")

    static func script(
        expect: [String] = [],
        count: Int? = nil,
        expectClose: Set<UInt16>? = nil
    ) throws -> SessionScript {
        var script = SessionScript()
        script.expectations = try expect.map { try SessionScript.Expectation($0) }
        script.count = count
        script.expectClose = expectClose
        return script
    }

    static func report(
        events: [Event],
        script: SessionScript,
        app: String? = nil,
        progress: ScriptProgress = ScriptProgress(),
        failure: Failure? = nil
    ) -> RunReport {
        let recorder = RunRecorder()
        events.forEach(recorder.record)
        return RunReport(
            command: "connect",
            target: "ws://h/ws",
            app: app,
            script: script,
            recorder: recorder,
            progress: progress,
            failure: failure,
            seconds: 1
        )
    }

    @Test func aRefusedHandshakeFailsAndSkipsEveryLaterStep() throws {
        let failure = Failure(.auth, "handshake rejected: HTTP 401")
        let report = Self.report(
            events: [],
            script: try Self.script(expect: ["a"], count: 2, expectClose: [4001]),
            app: "socketio",
            failure: failure
        )
        #expect(
            report.steps == [
                RunStep("handshake", .failed("handshake rejected: HTTP 401")),
                RunStep("app handshake (socketio)", .skipped("the handshake failed")),
                RunStep("expect 1: a", .skipped("the handshake failed")),
                RunStep("count 2", .skipped("the handshake failed")),
                RunStep("expect-close 4001", .skipped("the handshake failed")),
            ]
        )
        #expect(report.exitCode == 2)
    }

    @Test func expectationsAreMetInOrder() throws {
        var progress = ScriptProgress()
        progress.nextExpectation = 1
        progress.received = 3
        let failure = Failure(.timeout, "timed out")
        let report = Self.report(
            events: [Event(.handshake(Self.handshake))],
            script: try Self.script(expect: ["a", "b", "c"], count: 3),
            progress: progress,
            failure: failure
        )
        #expect(
            report.steps == [
                RunStep("handshake", .passed("HTTP 101")),
                RunStep("expect 1: a", .passed("a received message matched")),
                RunStep("expect 2: b", .failed("no received message matched: timed out")),
                RunStep("expect 3: c", .skipped("--expect 2 was not met first")),
                RunStep("count 3", .passed("received 3 messages")),
            ]
        )
    }

    @Test func anAppThatRefusedSkipsTheScript() throws {
        let report = Self.report(
            events: [Event(.handshake(Self.handshake))],
            script: try Self.script(count: 1),
            app: "stomp",
            failure: Failure(.auth, "stomp refused the credentials: bad passcode")
        )
        #expect(
            report.steps[1] == RunStep("app handshake (stomp)", .failed("stomp refused the credentials: bad passcode"))
        )
        #expect(report.steps[2] == RunStep("count 1", .skipped("the stomp handshake failed")))
    }

    @Test func expectCloseHoldsOnlyForTheServersCode() throws {
        let close = { (initiator: Initiator) in
            Event(
                .close(CloseReport(code: 4001, reason: "", initiator: initiator, meaning: "token expired", auth: true))
            )
        }
        let script = try Self.script(expectClose: [4001])
        let met = Self.report(events: [Event(.handshake(Self.handshake)), close(.server)], script: script)
        #expect(met.steps.last == RunStep("expect-close 4001", .passed("the server closed with 4001 (token expired)")))
        let ours = Self.report(
            events: [Event(.handshake(Self.handshake)), close(.client)],
            script: script,
            failure: Failure(.timeout, "timed out")
        )
        #expect(
            ours.steps.last == RunStep("expect-close 4001", .failed("the server did not close with 4001: timed out"))
        )
    }

    @Test func junitRedactsBeforeEscaping() {
        let redactor = Redactor(showSecrets: false)
        // A secret with XML's special characters: escaped first, it would no longer match.
        let secret = "s3cr&t<token>\"0123456789"
        redactor.register(Secret(secret))
        let report = Self.report(
            events: [],
            script: SessionScript(),
            failure: Failure(.closed, "closed with \"\(secret)\"")
        )
        let xml = RunJUnit(report: report, redactor: redactor).xml
        #expect(!xml.contains("s3cr&amp;t") && !xml.contains("0123456789"))
        #expect(xml.contains("<failure message=\"closed with &quot;"))
        #expect(xml.contains("tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\""))
    }

    @Test func auditJUnitRedactsBeforeEscaping() {
        let redactor = Redactor(showSecrets: false)
        let secret = "s3cr&t<token>\"0123456789"
        redactor.register(Secret(secret))
        let results = [
            AuditResult(report: CheckReport(name: "alg-none", verdict: .fail, detail: "accepted \(secret)"), seconds: 0)
        ]
        let xml = JUnitReport(
            target: "ws://h/ws",
            timestamp: Timestamp(timeIntervalSince1970: 0),
            results: results,
            redactor: redactor
        ).xml
        #expect(!xml.contains("s3cr&amp;t") && !xml.contains("0123456789"))
        #expect(xml.contains("<failure message=\"accepted "))
    }

    @Test func workflowCommandsEscapeAsTheRunnerUnescapes() {
        let command = WorkflowCommand(.error, title: "wsauth a:b,c", message: "50% done\r\nnext")
        #expect(command.line == "::error title=wsauth a%3Ab%2Cc::50%25 done%0D%0Anext")
        let results = [("a", CheckReport.Verdict.fail), ("b", .warn), ("c", .pass), ("d", .skip)].map {
            AuditResult(report: CheckReport(name: $0.0, verdict: $0.1, detail: "why \($0.0)"), seconds: 0)
        }
        #expect(
            WorkflowCommand.audit(results).map(\.line) == [
                "::error title=wsauth audit a::why a", "::warning title=wsauth audit b::why b",
            ]
        )
    }

    @Test func summaryCellsCannotBreakTheTable() {
        let redactor = Redactor(showSecrets: false)
        #expect(StepSummary.cell("a|b\nc<script>", redactor) == "a\\|b c&lt;script&gt;")
        #expect(StepSummary.code("ws://h/`x`", redactor) == "`ws://h/'x'`")
    }

    @Test func sarifHasEveryRuleAndAResultPerWarnAndFail() throws {
        let results = [
            AuditResult(report: CheckReport(name: "alg-none", verdict: .fail, detail: "accepted alg:none"), seconds: 0),
            AuditResult(
                report: CheckReport(name: "placement-query", verdict: .warn, detail: "query token accepted"),
                seconds: 0
            ),
            AuditResult(report: CheckReport(name: "no-credentials", verdict: .pass, detail: "refused"), seconds: 0),
        ]
        let document = AuditSARIF(target: "wss://h/ws", results: results).document
        let run = try #require(document["runs"].flatMap { if case .array(let runs) = $0 { runs.first } else { nil } })
        guard case .array(let rules)? = run["tool"]?["driver"]?["rules"], case .array(let found)? = run["results"]
        else {
            Issue.record("no rules or results")
            return
        }
        #expect(rules.compactMap { $0["id"]?.stringValue } == CheckName.allCases.map(\.rawValue))
        #expect(found.compactMap { $0["level"]?.stringValue } == ["error", "warning"])
        #expect(found.compactMap { $0["ruleId"]?.stringValue } == ["alg-none", "placement-query"])
        #expect(document["version"]?.stringValue == "2.1.0")
    }
}
