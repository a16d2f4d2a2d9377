import ArgumentParser
import WSAuthKit
#if canImport(Glibc)
import Glibc
#endif

/// The entry point. Parsing is done here rather than by `WSAuth.main()` so that
/// a usage error prints exactly one line and exits 64 (docs/reference/exit-codes.md).
@main
enum Main {
    static func main() {
        // A closed pipe (`wsauth connect … | head -1`) ends writes with EPIPE, not a signal.
        signal(SIGPIPE, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command = parse(arguments)
        do {
            // Commands that read no profile run whatever the config file says.
            if !(command is Codes || command is Demo || command is Serve) { try ProfileKeys.checkConfigFile() }
            if let reader = command as? any ProfileCommand {
                command = try ProfileKeys.applyingProfile(to: reader, commandLine: Array(arguments.dropFirst())) { warning in
                    Output.writeAll(STDERR_FILENO, Array("\(TerminalText.escape(warning))\n".utf8))
                }
            }
            try command.run()
        } catch let failure as Failure {
            let output = Output(json: false, showSecrets: false)
            output.workflowErrorTitle = GitHubActions.errorTitle(arguments: arguments)
            output.fail(failure)
        } catch {
            WSAuth.exit(withError: error)
        }
    }

    /// The command line parsed, or exit: `--help` and `--version` print in full, a
    /// usage error is one line and 64.
    private static func parse(_ arguments: [String]) -> ParsableCommand {
        do {
            return try WSAuth.parseAsRoot(arguments)
        } catch {
            let code = WSAuth.exitCode(for: error)
            if code == .success || error is CleanExit {
                WSAuth.exit(withError: error)  // --help, --version: printed in full
            }
            let message = WSAuth.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            // The parser quotes arguments back: shown, like anything else, inert.
            let line = "\(TerminalText.escape(message)) (see 'wsauth --help')"
            Output.writeAll(STDERR_FILENO, Array((line + "\n").utf8))
            if let title = GitHubActions.errorTitle(arguments: arguments) {
                Output.writeAll(STDERR_FILENO, Array((WorkflowCommand(.error, title: title, message: line).line + "\n").utf8))
            }
            exit(ExitStatus.usage.rawValue)
        }
    }
}
