import CEditLine
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// What the person did at the prompt.
enum EditorInput: Equatable {
    case line(String)
    /// Ctrl-D on an empty line.
    case endOfFile
    /// Ctrl-C on an empty line; with text, Ctrl-C only clears the line.
    case interrupt
}

/// libedit in callback mode: the event loop polls stdin and hands each
/// readable moment to `readAvailable`, so typing never blocks the socket.
/// Arrows, Ctrl-A/E and Ctrl-R (incremental history search) are libedit's own.
final class LineEditor {
    let fileDescriptor: Int32 = STDIN_FILENO
    private(set) var prompt: String
    /// True while libedit owns the terminal (raw mode, prompt shown).
    private(set) var installed = false
    private var pending: [EditorInput] = []
    /// A terminal that is not UTF-8 gets `-` for the prompt's `·`.
    private var asciiOnly = false
    /// Ctrl-C with text pushed a kill-line key that libedit reads on its next call.
    private var killLinePushed = false

    /// libedit's callbacks are C function pointers without a context argument,
    /// so they find the editor here; there is only ever one terminal.
    nonisolated(unsafe) private static var active: LineEditor?

    /// Enough history to find yesterday's commands, small enough to load at once.
    static let historyLimit: Int32 = 1000
    /// Kill-line in libedit's emacs map (Ctrl-U).
    private static let killLineKey: Int32 = 0x15
    private static let interruptKey: Int32 = 0x03

    /// Loads libedit, which only the REPL needs (docs/ARCHITECTURE.md, "Lean start-up").
    init(prompt: String) throws(Failure) {
        if let problem = wsa_editline_load() {
            throw SystemLibraries.missing("libedit for the REPL", problem, install: "libedit2")
        }
        self.prompt = prompt
    }

    func start() {
        LineEditor.active = self
        // libedit decodes the prompt and the typed bytes with the locale's
        // codeset: without this it is C, and a non-ASCII byte makes it fail.
        setlocale(LC_CTYPE, "")
        asciiOnly = String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8"
        _ = rl_initialize()
        stifle_history(LineEditor.historyLimit)
        // Ctrl-C must reach us as a key, not as SIGINT: on an empty line it
        // closes the connection cleanly, with text it clears the line.
        _ = rl_parse_and_bind("setty -d -isig")
        _ = rl_add_defun(
            "wsauth-interrupt",
            { _, _ in
                LineEditor.active?.interruptPressed()
                return 0
            },
            LineEditor.interruptKey
        )
        install()
    }

    /// Feeds libedit every byte that is waiting, then returns what completed.
    func readAvailable() -> [EditorInput] {
        guard installed else { return [] }
        repeat {
            rl_callback_read_char()
            while killLinePushed {
                killLinePushed = false
                rl_callback_read_char()
            }
        } while installed && inputWaiting()
        defer { pending = [] }
        return pending
    }

    /// Prints `text` above the prompt and shows `newPrompt`, without corrupting
    /// the half-typed line: clear the prompt line, print, then let libedit draw
    /// prompt and line again.
    func display(above text: String?, prompt newPrompt: String) {
        guard installed else {
            prompt = newPrompt
            if let text { Output.writeAll(STDOUT_FILENO, Array((text + "\n").utf8)) }
            return
        }
        guard text != nil || newPrompt != prompt else { return }
        if newPrompt != prompt {
            prompt = newPrompt
            _ = rl_set_prompt(shown(newPrompt))
        }
        var bytes = Array("\r\u{1B}[K".utf8)
        if let text { bytes += Array((text + "\n").utf8) }
        Output.writeAll(STDOUT_FILENO, bytes)
        rl_forced_update_display()
    }

    /// Restores the terminal; the prompt line is left as typed.
    func finish() {
        guard installed else { return }
        installed = false
        rl_callback_handler_remove()
        Output.writeAll(STDOUT_FILENO, Array("\n".utf8))
    }

    func addHistory(_ line: String) {
        _ = add_history(line)
    }

    func loadHistory(from path: String) {
        _ = read_history(path)
    }

    func saveHistory(to path: String) -> Bool {
        write_history(path) == 0
    }

    // MARK: libedit plumbing

    private func install() {
        installed = true
        rl_callback_handler_install(shown(prompt)) { line in
            LineEditor.active?.lineCompleted(line)
        }
    }

    private func lineCompleted(_ line: UnsafeMutablePointer<CChar>?) {
        guard let line else {
            // libedit has already left raw mode for end of file; what follows starts on a new line.
            installed = false
            Output.writeAll(STDOUT_FILENO, Array("\n".utf8))
            pending.append(.endOfFile)
            return
        }
        pending.append(.line(String(cString: line)))
        free(line)
        // libedit leaves callback mode after each line; entering it again draws the next prompt.
        install()
    }

    private func interruptPressed() {
        if wsa_rl_line_length() == 0 {
            pending.append(.interrupt)
        } else {
            _ = rl_insert(1, LineEditor.killLineKey)
            killLinePushed = true
        }
    }

    private func shown(_ prompt: String) -> String {
        asciiOnly ? String(prompt.unicodeScalars.map { $0.isASCII ? Character($0) : "-" }) : prompt
    }

    private func inputWaiting() -> Bool {
        var entry = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }
}
