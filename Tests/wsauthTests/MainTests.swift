import ArgumentParser
import Testing
import WSAuthKit

@testable import wsauth

/// `Main`, the only place that exits: a command line's exit status and what it writes
/// (docs/reference/exit-codes.md).
struct MainTests {
    private func run(_ arguments: [String]) -> (status: Int32, captured: CapturedStreams) {
        let captured = CapturedStreams(arguments: ["wsauth"] + arguments)
        return (Main.run(arguments, streams: captured.streams), captured)
    }

    /// A usage error is one line on stderr and 64, nothing on stdout.
    @Test(arguments: [
        ["connect", "--no-such-flag"],
        ["connect", "ws://h", "--max-retries", "many"],
        ["probe", "--timeout", "soon"],
        ["probe", "ws://a", "ws://b"],
        ["no-such-command"],
    ])
    func usageErrorsAreOneLineAnd64(arguments: [String]) {
        let (status, captured) = run(arguments)
        #expect(status == ExitStatus.usage.rawValue)
        #expect(captured.stdout == "")
        #expect(captured.stderr.split(separator: "\n").count == 1, "\(captured.stderr)")
        #expect(captured.stderr.hasSuffix(" (see 'wsauth --help')\n"))
    }

    /// A usage error found by the command (not the parser) ends through its `Output`, into
    /// the streams `Main` was given.
    @Test func aCommandsOwnUsageErrorComesBackAs64() {
        let (status, captured) = run(["codes", "99999"])
        #expect(status == 64)
        #expect(captured.stderr == "invalid close code '99999': use a number from 0 to 4999\n")
    }

    /// connect's own check of its script flags, before any connection is made.
    @Test func connectRefusesWithinWithoutExpectClose() {
        let (status, captured) = run(["connect", "ws://127.0.0.1:9/", "--within", "1s"])
        #expect(status == 64)
        #expect(captured.stderr.split(separator: "\n").last == "--within goes with --expect-close")
        #expect(captured.stdout == "")
    }

    @Test func aCommandThatSucceedsIs0() {
        let (status, captured) = run(["codes", "1000"])
        #expect(status == 0)
        #expect(captured.stdout.contains("1000"))
    }

    @Test func versionAndHelpPrintInFullOnStdout() {
        let version = run(["--version"])
        #expect(version.status == 0)
        #expect(version.captured.stdout == WSAuthVersion.string + "\n")
        let help = run(["probe", "--help"])
        #expect(help.status == 0)
        #expect(help.captured.stdout.contains("USAGE: wsauth probe"))
        #expect(help.captured.stderr == "")
    }

    @Test func exitStatusOfWhatACommandThrows() {
        let streams = CapturedStreams()
        #expect(Main.status(for: CommandExit(.timeout), arguments: [], streams: streams.streams) == 5)
        #expect(streams.stderr == "", "a CommandExit was reported by the command")
        #expect(Main.status(for: Failure(.auth, "auth rejected: 401"), arguments: [], streams: streams.streams) == 2)
        #expect(streams.stderr == "auth rejected: 401\n")
        #expect(Main.status(for: ExitCode(3), arguments: [], streams: streams.streams) == 3)
    }

    @Test func theCommandLineOfASubcommandIsWhatFollowsItsName() {
        #expect(CommandLineWords.after(Connect.self, in: ["connect", "ws://h", "-k"]) == ["ws://h", "-k"])
        // The command's name as a value later on is not the command.
        #expect(CommandLineWords.after(Probe.self, in: ["probe", "--header", "X: probe"]) == ["--header", "X: probe"])
        #expect(CommandLineWords.after(Connect.self, in: ["connect", "--", "connect"]) == ["--", "connect"])
    }
}
