/// A GitHub Actions workflow command (`::error title=…::message`), which the runner
/// reads from a step's output and turns into an annotation (docs/ci.md).
public struct WorkflowCommand: Sendable, Equatable {
    public enum Level: String, Sendable { case error, warning }

    public var level: Level
    public var title: String
    public var message: String

    public init(_ level: Level, title: String, message: String) {
        self.level = level
        self.title = title
        self.message = message
    }

    /// The command line, escaped as the runner unescapes it: in the message `%`,
    /// CR and LF; in a property value also `:` and `,`, which would end it.
    public var line: String {
        "::\(level.rawValue) title=\(WorkflowCommand.escapeProperty(title))::\(WorkflowCommand.escapeData(message))"
    }

    static func escapeData(_ text: String) -> String {
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static func escapeProperty(_ text: String) -> String {
        var out = ""
        for character in escapeData(text).unicodeScalars {
            switch character {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// One command per FAIL (`error`) and WARN (`warning`) of an audit.
    public static func audit(_ results: [AuditResult]) -> [WorkflowCommand] {
        results.compactMap { result in
            switch result.report.verdict {
            case .fail:
                WorkflowCommand(.error, title: "wsauth audit \(result.report.name)", message: result.report.detail)
            case .warn:
                WorkflowCommand(.warning, title: "wsauth audit \(result.report.name)", message: result.report.detail)
            case .pass, .skip: nil
            }
        }
    }
}
