import WSAuthKit

/// `probe` and `connect` end a rejected handshake's error line with the `doctor`
/// command that would explain it, with the same arguments (issue 14).
enum DoctorHint {
    /// The failure, with the hint appended when it is a refused or failed upgrade,
    /// or an `--app` handshake that refused the credentials (doctor's app check).
    static func appended(
        to failure: Failure,
        redactor: Redactor,
        arguments: [String] = CommandLine.arguments
    ) -> Failure {
        guard failure.explainedByDoctor, arguments.count >= 2 else { return failure }
        var hinted = failure
        let rest = shown(withoutReports(Array(arguments.dropFirst(2))), redactor: redactor).map(quoted)
        hinted.message +=
            "; run `wsauth doctor\(rest.isEmpty ? "" : " ")\(rest.joined(separator: " "))` to find out why"
        return hinted
    }

    /// The arguments without `--junit FILE`, which doctor does not take (its report
    /// is its findings).
    static func withoutReports(_ arguments: [String]) -> [String] {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
                continue
            }
            if argument == "--junit" {
                skipNext = true
                continue
            }
            if argument.hasPrefix("--junit=") { continue }
            kept.append(argument)
        }
        return kept
    }

    /// The arguments with secrets redacted before quoting (quoting would hide them
    /// from the redactor): registered tokens and cookies, and credential `-H` values.
    static func shown(_ arguments: [String], redactor: Redactor) -> [String] {
        arguments.enumerated().map { index, argument in
            let previous = index > 0 ? arguments[index - 1] : ""
            if previous == "-H" || previous == "--header", let colon = argument.firstIndex(of: ":") {
                let name = String(argument[..<colon])
                let value = String(argument[argument.index(after: colon)...].drop { $0 == " " })
                return "\(name): \(redactor.headerValue(name: name, value: value))"
            }
            return redactor.text(argument)
        }
    }

    /// Shell-quoted when it holds anything but the characters a shell leaves alone.
    static func quoted(_ argument: String) -> String {
        let plain = !argument.isEmpty && argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+%".contains($0) }
        return plain ? argument : "'" + argument.replacing("'", with: #"'\''"#) + "'"
    }
}
