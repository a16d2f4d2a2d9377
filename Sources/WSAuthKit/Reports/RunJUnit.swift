/// A `probe`/`connect` run as JUnit XML (the Ant/Surefire schema CI systems read:
/// `testsuites` > `testsuite` > `testcase`): one testcase per step of the run, a
/// failed step a `<failure>`, a step that never ran a `<skipped>`.
///
/// The run's exit code is a suite property and its last line the suite's
/// `<system-err>`, so that a run that failed after every step held (a dropped
/// connection) still says so. Every text is redacted before it is escaped, so
/// that escaping cannot hide a secret from the redactor.
public struct RunJUnit {
    public var report: RunReport
    public var redactor: Redactor

    public init(report: RunReport, redactor: Redactor) {
        self.report = report
        self.redactor = redactor
    }

    public var xml: String {
        let steps = report.steps
        let failures = steps.filter { if case .failed = $0.outcome { true } else { false } }.count
        let skipped = steps.filter { if case .skipped = $0.outcome { true } else { false } }.count
        let name = text("wsauth \(report.command)")
        let counts =
            "tests=\"\(steps.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(JUnitReport.seconds(report.seconds))\""
        let className = "wsauth.\(report.command)"
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            "<testsuites name=\"\(name)\" \(counts)>",
            "  <testsuite name=\"\(name)\" \(counts)>",
            "    <properties>",
            "      <property name=\"url\" value=\"\(text(report.target))\"/>",
            "      <property name=\"exit_code\" value=\"\(report.exitCode)\"/>",
            "    </properties>",
        ]
        for step in steps {
            let detail = text(step.detail)
            lines.append("    <testcase name=\"\(text(step.name))\" classname=\"\(className)\">")
            switch step.outcome {
            case .passed: lines.append("      <system-out>\(detail)</system-out>")
            case .failed: lines.append("      <failure message=\"\(detail)\" type=\"\(className)\">\(detail)</failure>")
            case .skipped: lines.append("      <skipped message=\"\(detail)\"/>")
            }
            lines.append("    </testcase>")
        }
        if let failure = report.failure {
            lines.append("    <system-err>\(text(failure.message))</system-err>")
        }
        lines += ["  </testsuite>", "</testsuites>", ""]
        return lines.joined(separator: "\n")
    }

    private func text(_ value: String) -> String {
        JUnitReport.escape(redactor.text(value))
    }
}
