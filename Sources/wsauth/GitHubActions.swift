import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// What a run adds inside GitHub Actions (docs/ci.md): workflow commands on stderr
/// and a Markdown job summary. Outside Actions (`GITHUB_ACTIONS` is not `true`)
/// there is none, so nothing of it reaches a local terminal.
struct GitHubActions {
    /// `$GITHUB_STEP_SUMMARY`: the file the runner shows as the job's summary.
    let summaryPath: String?

    /// The environment's Actions, or nil outside them.
    static var current: GitHubActions? {
        guard let flag = getenv("GITHUB_ACTIONS"), String(cString: flag) == "true" else { return nil }
        let path = getenv("GITHUB_STEP_SUMMARY").map { String(cString: $0) }
        return GitHubActions(summaryPath: path?.isEmpty == false ? path : nil)
    }

    /// The `::error` title for a `probe` or `connect` command line inside Actions, for
    /// the failures that end it before the command runs (a usage error, a bad profile).
    static func errorTitle(arguments: [String]) -> String? {
        guard current != nil, let command = arguments.first, command == "probe" || command == "connect" else {
            return nil
        }
        return "wsauth \(command)"
    }

    /// Appends to the summary file (other steps write theirs too). A summary that
    /// cannot be written is said on stderr; it does not change the run's verdict.
    func appendSummary(_ markdown: String, output: Output) {
        guard let summaryPath else { return }
        let fd = open(summaryPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            output.say(
                "warning: GITHUB_STEP_SUMMARY \(summaryPath): cannot write the file (errno \(errno))",
                to: .stderr
            )
            return
        }
        defer { close(fd) }
        if !ReportFile.writeAll(fd, Array(markdown.utf8)) {
            output.say("warning: GITHUB_STEP_SUMMARY \(summaryPath): write failed (errno \(errno))", to: .stderr)
        }
    }
}
