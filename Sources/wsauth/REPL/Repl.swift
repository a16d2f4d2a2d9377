import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// `connect` on a terminal (docs/reference/behaviour.md "The REPL"): the line editor, the state the
/// prompt shows, and the renderer that prints above it, wired to the driver.
enum Repl {
    /// A person at a terminal, and nothing that a script decides: no
    /// `--expect`/`--count`/`--expect-close`, and no `--json` (that is for programs).
    static func isWanted(script: SessionScript, json: Bool) -> Bool {
        isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 && !script.isScripted && !json
    }

    static func run(_ driver: SessionDriver, output base: Output, app: AppSetup? = nil) throws(Failure) -> Failure? {
        let editor = try LineEditor(prompt: "")
        let state = ReplState(
            autoReconnect: driver.reconnect != nil,
            token: { [unowned driver] in driver.token },
            app: app
        )
        let output = ReplOutput(base: base, editor: editor, state: state)
        let input = ReplInput(
            editor: editor,
            state: state,
            output: output,
            history: ReplHistory(redactor: base.redactor)
        )
        driver.output = output
        input.start()
        // The terminal goes back to cooked mode before the final line on stderr.
        defer { input.finish() }
        return driver.run(input: input)
    }
}
