import ArgumentParser
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// The entry point, and the only place that exits. Parsing is done here rather than by
/// `WSAuth.main()` so that a usage error prints exactly one line and exits 64
/// (docs/reference/exit-codes.md).
@main
enum Main {
    static func main() {
        // A closed pipe (`wsauth connect … | head -1`) ends writes with EPIPE, not a signal.
        signal(SIGPIPE, SIG_IGN)
        exit(run(Array(CommandLine.arguments.dropFirst()), streams: .process()))
    }

    /// The exit status of the command line `arguments` (without the program's name),
    /// every line written to `streams`.
    static func run(_ arguments: [String], streams: Streams) -> Int32 {
        Streams.$current.withValue(streams) {
            let command: ParsableCommand
            do {
                command = try WSAuth.parseAsRoot(arguments)
            } catch {
                return parseFailed(error, arguments: arguments, streams: streams)
            }
            return run(command, arguments: arguments, streams: streams)
        }
    }

    private static func run(_ parsed: ParsableCommand, arguments: [String], streams: Streams) -> Int32 {
        var command = parsed
        do {
            // Commands that read no profile run whatever the config file says.
            if !(command is Codes || command is Demo || command is Serve) { try ProfileKeys.checkConfigFile() }
            if let reader = command as? any ProfileCommand {
                let commandLine = CommandLineWords.after(type(of: reader), in: arguments)
                command = try ProfileKeys.applyingProfile(to: reader, commandLine: commandLine) { warning in
                    streams.write("\(TerminalText.escape(warning))\n", to: .stderr)
                }
            }
            try command.run()
            return ExitStatus.success.rawValue
        } catch {
            return status(for: error, arguments: arguments, streams: streams)
        }
    }

    /// The exit status for what a command threw: a `CommandExit` was already reported by
    /// the command's `Output`; a `Failure` is reported here; anything else is
    /// ArgumentParser's (an `ExitCode`, a `ValidationError`), reported as it would.
    static func status(for error: any Error, arguments: [String], streams: Streams) -> Int32 {
        switch error {
        case let exit as CommandExit:
            return exit.status.rawValue
        case let failure as Failure:
            let output = Output(json: false, showSecrets: false, streams: streams)
            output.workflowErrorTitle = GitHubActions.errorTitle(arguments: arguments)
            do { try output.fail(failure) } catch { return error.status.rawValue }
        default:
            let code = WSAuth.exitCode(for: error)
            let text = WSAuth.fullMessage(for: error)
            if !text.isEmpty { streams.write(text + "\n", to: code == .success ? .stdout : .stderr) }
            return code.rawValue
        }
    }

    /// `--help` and `--version` print in full and succeed; a usage error is one line and 64.
    private static func parseFailed(_ error: any Error, arguments: [String], streams: Streams) -> Int32 {
        let code = WSAuth.exitCode(for: error)
        if code == .success || error is CleanExit {
            return status(for: error, arguments: arguments, streams: streams)
        }
        let message = WSAuth.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
        // The parser quotes arguments back: shown, like anything else, inert.
        let line = "\(TerminalText.escape(message)) (see 'wsauth --help')"
        streams.write(line + "\n", to: .stderr)
        if let title = GitHubActions.errorTitle(arguments: arguments) {
            streams.write(WorkflowCommand(.error, title: title, message: line).line + "\n", to: .stderr)
        }
        return ExitStatus.usage.rawValue
    }
}

/// How a command ends early: its `Output` has reported the failure, and `Main`, the only
/// place that exits, exits with this status.
struct CommandExit: Error, Equatable {
    let status: ExitStatus

    init(_ status: ExitStatus) { self.status = status }
}

/// The words of a command line as ArgumentParser divides them.
enum CommandLineWords {
    /// The arguments after `command`'s name. ArgumentParser takes the subcommand from the
    /// first word that is not an option of the root (which has none but its built-in
    /// `--help` and `--version`, which end the parse) and names a subcommand or alias.
    static func after(_ command: any ParsableCommand.Type, in arguments: [String]) -> [String] {
        let names = Set([command.configuration.commandName].compactMap { $0 } + command.configuration.aliases)
        let words = arguments.prefix { $0 != "--" }
        guard let index = words.firstIndex(where: names.contains) else { return arguments }
        return Array(arguments[(index + 1)...])
    }
}
