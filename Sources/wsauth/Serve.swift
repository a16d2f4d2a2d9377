import ArgumentParser
import WSAuthKit
import WSAuthServeOptions

/// `wsauth serve`: the reference auth server, for trying clients against. The server
/// is the executable `wsauth-serve`, so that this one links no server framework; the
/// flags are parsed here (help, completions, usage errors) and the same words handed
/// over with exec(2), so the server keeps this process's id, signals and exit status.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a local reference auth server with a WebSocket echo endpoint.",
        discussion: ServeOptions.discussion
    )

    @OptionGroup var options: ServeOptions

    func run() throws {
        // The server parses its own flags: the words after `serve`, found as ArgumentParser finds it.
        let words = CommandLineWords.after(Serve.self, in: Array(Streams.current.arguments.dropFirst()))
        do throws(Failure) {
            try ServerExecutable.locate().exec(words)
        } catch {
            try Output(json: false, showSecrets: false).fail(error)
        }
    }
}
