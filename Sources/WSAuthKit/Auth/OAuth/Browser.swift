#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a URL in the user's browser, as `gh` does: `$BROWSER` when set (a
/// command, the URL appended), else the desktop's opener when there is a display.
/// The browser's own output is sent to /dev/null; wsauth does not wait for it.
public enum Browser {
    /// The command that would open a URL here, or nil (no display, no $BROWSER).
    static func command(environment: (String) -> String?) -> [String]? {
        if let browser = environment("BROWSER"), !browser.trimmingSpaces().isEmpty {
            return browser.split(separator: " ").map(String.init)
        }
        #if os(macOS)
        return ["open"]
        #else
        let display = [environment("DISPLAY"), environment("WAYLAND_DISPLAY")].contains { !($0 ?? "").isEmpty }
        return display ? ["xdg-open"] : nil
        #endif
    }

    /// True when a browser was started. Only an http(s) URL is ever handed to
    /// one: a `file:` or `javascript:` URL from a server would run locally.
    public static func open(_ url: String) -> Bool {
        let scheme = url.prefix { $0 != ":" }.lowercased()
        guard scheme == "https" || scheme == "http", url.dropFirst(scheme.count).hasPrefix("://") else { return false }
        guard let command = command(environment: { getenv($0).map { String(cString: $0) } }) else { return false }
        var arguments: [UnsafeMutablePointer<CChar>?] = (command + [url]).map { strdup($0) }
        defer { for argument in arguments { free(argument) } }
        arguments.append(nil)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        var pid = pid_t()
        return posix_spawnp(&pid, command[0], &actions, nil, arguments, environ) == 0
    }
}
