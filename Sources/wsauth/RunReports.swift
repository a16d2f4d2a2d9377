import ArgumentParser
import WSAuthKit

/// The CI reports of a `probe` or `connect` run: the `--junit` file and, inside
/// GitHub Actions, the `::error` command after a failure's last line and the job
/// summary. Made before the run starts (a bad `--junit` path is a usage error at
/// once) and finished once its outcome is known, failed runs included.
final class RunReports {
    private let command: String
    private let junit: ReportFile?
    private let actions: GitHubActions?
    private let recorder = RunRecorder()
    private let started = Clock.now()

    init(command: String, junit path: String?, output: Output) throws(Failure) {
        self.command = command
        junit = try path.map { (path) throws(Failure) in try ReportFile(flag: "--junit", path: path) }
        actions = GitHubActions.current
        // Events are recorded only when a report will be written from them.
        if junit != nil || actions != nil { output.observer = recorder.record }
        if actions != nil { output.workflowErrorTitle = "wsauth \(command)" }
    }

    /// Writes the reports; returns the run's failure, or the report's own when the
    /// run succeeded but its `--junit` file could not be written.
    func finish(
        target: String,
        app: String?,
        script: SessionScript,
        progress: ScriptProgress,
        failure: Failure?,
        output: Output
    ) -> Failure? {
        guard junit != nil || actions != nil else { return failure }
        let report = RunReport(
            command: command,
            target: target,
            app: app,
            script: script,
            recorder: recorder,
            progress: progress,
            failure: failure,
            seconds: Clock.now() - started
        )
        actions?.appendSummary(StepSummary.run(report, redactor: output.redactor), output: output)
        do throws(Failure) {
            try junit?.write(RunJUnit(report: report, redactor: output.redactor).xml)
        } catch {
            return failure ?? error
        }
        return failure
    }
}

extension RunReports {
    /// What `probe` and `connect` share: the reports are made before anything else (a
    /// bad `--junit` path is a usage error at once), then the session is set up and
    /// driven by `drive`, and the reports are written whatever happened. The run's
    /// failure, or the report's own, ends the command.
    static func session(
        command: String,
        junit: String?,
        url: String?,
        output: Output,
        script makeScript: () throws(Failure) -> SessionScript,
        setup: () throws(Failure) -> SessionSetup,
        drive: (SessionDriver, SessionSetup) throws(Failure) -> Failure?
    ) throws(CommandExit) {
        let reports: RunReports
        do throws(Failure) {
            reports = try RunReports(command: command, junit: junit, output: output)
        } catch {
            try output.fail(error)
        }
        var target = url ?? ""
        var app: String?
        var script = SessionScript()
        var progress = ScriptProgress()
        var failure: Failure?
        do throws(Failure) {
            script = try makeScript()
            let session = try setup()
            target = url ?? session.url.description
            app = session.app?.name
            let driver = session.driver(script: script)
            failure = try drive(driver, session).map { DoctorHint.appended(to: $0, redactor: output.redactor) }
            progress = driver.progress
        } catch {
            failure = error
        }
        let ended = reports.finish(
            target: target,
            app: app,
            script: script,
            progress: progress,
            failure: failure,
            output: output
        )
        if let ended { try output.fail(ended) }
    }
}

/// `--junit FILE` of `probe` and `connect`.
struct RunReportFlags: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Also write the run as JUnit XML to this file: a testcase for the handshake, the app handshake and each --expect, --count and --expect-close; written also when the run fails.",
            valueName: "FILE"
        )
    )
    var junit: String?
}
