/// The audit as JUnit XML, the format CI systems render (the Ant/Surefire schema:
/// `testsuites` > `testsuite` > `testcase`).
///
/// FAIL is a `<failure>`, SKIP a `<skipped>`, an audit stopped by refused credentials
/// an `<error>`; the schema has no "warning", so a WARN
/// is a passing test case whose `<system-out>` starts with `WARN:` and whose suite
/// counts it in a `warnings` property. Every test case carries its sentence in
/// `<system-out>`. With a redactor, every text is redacted before it is escaped
/// (escaping first could hide a secret from the redactor).
public struct JUnitReport {
    public var suiteName: String
    public var target: String
    public var timestamp: Timestamp
    public var results: [AuditResult]
    /// Why the audit stopped before its checks (the credentials were refused): one
    /// `<error>` test case, so that CI shows the reason instead of an empty report.
    public var stopped: String?
    public var redactor: Redactor?

    public init(
        suiteName: String = "wsauth audit",
        target: String,
        timestamp: Timestamp,
        results: [AuditResult],
        stopped: String? = nil,
        redactor: Redactor? = nil
    ) {
        self.suiteName = suiteName
        self.target = target
        self.timestamp = timestamp
        self.results = results
        self.stopped = stopped
        self.redactor = redactor
    }

    /// Redacted, then escaped for XML.
    private func text(_ value: String) -> String {
        JUnitReport.escape(redactor?.text(value) ?? value)
    }

    static let className = "wsauth.audit"

    public var xml: String {
        let count = { (verdict: CheckReport.Verdict) in results.filter { $0.report.verdict == verdict }.count }
        let time = JUnitReport.seconds(results.reduce(0) { $0 + $1.seconds })
        let errors = stopped == nil ? 0 : 1
        let counts =
            "tests=\"\(results.count + errors)\" failures=\"\(count(.fail))\" errors=\"\(errors)\" skipped=\"\(count(.skip))\" time=\"\(time)\""
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            "<testsuites name=\"\(text(suiteName))\" \(counts)>",
            "  <testsuite name=\"\(text(suiteName))\" \(counts) timestamp=\"\(JUnitReport.timestamp(timestamp))\">",
            "    <properties>",
            "      <property name=\"target\" value=\"\(text(target))\"/>",
            "      <property name=\"warnings\" value=\"\(count(.warn))\"/>",
            "    </properties>",
        ]
        for result in results {
            let report = result.report
            let detail = text(report.detail)
            lines.append(
                "    <testcase name=\"\(text(report.name))\" classname=\"\(JUnitReport.className)\" time=\"\(JUnitReport.seconds(result.seconds))\">"
            )
            switch report.verdict {
            case .fail: lines.append("      <failure message=\"\(detail)\" type=\"audit\">\(detail)</failure>")
            case .skip: lines.append("      <skipped message=\"\(detail)\"/>")
            case .pass, .warn: break
            }
            let prefix = report.verdict.rawValue.uppercased()
            lines.append("      <system-out>\(prefix): \(detail)</system-out>")
            lines.append("    </testcase>")
        }
        if let stopped {
            let message = text(stopped)
            lines.append("    <testcase name=\"credentials\" classname=\"\(JUnitReport.className)\" time=\"0.000\">")
            lines.append("      <error message=\"\(message)\" type=\"stopped\">\(message)</error>")
            lines.append("    </testcase>")
        }
        lines += ["  </testsuite>", "</testsuites>", ""]
        return lines.joined(separator: "\n")
    }

    /// XML 1.0 text and attribute escaping; characters XML 1.0 cannot hold at all
    /// (most C0 controls) are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func seconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    /// JUnit's timestamp is ISO 8601 without a zone (and means UTC here).
    static func timestamp(_ date: Timestamp) -> String {
        String(Timestamp.rfc3339(date).prefix(19))
    }
}
