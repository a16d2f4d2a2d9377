/// The Markdown a run appends to GitHub's job summary (`$GITHUB_STEP_SUMMARY`):
/// a table of steps or checks. Every cell is redacted first, then made inert for
/// Markdown (a `|` ends a cell, a line break a row, `<` starts HTML).
public enum StepSummary {
    public static func run(_ report: RunReport, redactor: Redactor) -> String {
        var lines = [
            "### wsauth \(report.command) \(code(report.target, redactor))",
            "",
            "| step | result | detail |",
            "|---|---|---|",
        ]
        for step in report.steps {
            let result =
                switch step.outcome {
                case .passed: "✅ pass"
                case .failed: "❌ fail"
                case .skipped: "⏭️ skipped"
                }
            lines.append("| \(cell(step.name, redactor)) | \(result) | \(cell(step.detail, redactor)) |")
        }
        lines += ["", "Ended: \(cell(report.ending, redactor)). Exit code \(report.exitCode).", ""]
        return lines.joined(separator: "\n") + "\n"
    }

    public static func audit(target: String, results: [AuditResult], stopped: String?, redactor: Redactor) -> String {
        var lines = ["### wsauth audit \(code(target, redactor))", ""]
        if let stopped {
            lines += ["Stopped before its checks: \(cell(stopped, redactor))", ""]
        }
        if !results.isEmpty {
            lines += ["| check | verdict | detail |", "|---|---|---|"]
            for result in results {
                let verdict =
                    switch result.report.verdict {
                    case .pass: "✅ PASS"
                    case .warn: "⚠️ WARN"
                    case .fail: "❌ FAIL"
                    case .skip: "⏭️ SKIP"
                    }
                lines.append(
                    "| \(cell(result.report.name, redactor)) | \(verdict) | \(cell(result.report.detail, redactor)) |"
                )
            }
            lines.append("")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func cell(_ text: String, _ redactor: Redactor) -> String {
        var out = ""
        for character in redactor.text(text).unicodeScalars {
            switch character {
            case "|": out += "\\|"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\r", "\n", "\t": out += " "
            default:
                if character.value >= 0x20, character.value != 0x7F { out.unicodeScalars.append(character) }
            }
        }
        return out
    }

    /// A code span (where entities are not decoded) that no backtick or line
    /// break in the text can end early.
    static func code(_ text: String, _ redactor: Redactor) -> String {
        var inner = ""
        for character in redactor.text(text).unicodeScalars {
            switch character {
            case "`": inner += "'"
            default: if character.value >= 0x20, character.value != 0x7F { inner.unicodeScalars.append(character) }
            }
        }
        return "`\(inner)`"
    }
}
