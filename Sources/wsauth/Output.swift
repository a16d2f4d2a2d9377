import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WSAuthKit

/// Renders the events of the credential commands: one JSON object per line
/// under `--json`, lines for people otherwise; everything through the redactor.
/// On failure it prints the one final stderr line (and an `error` event) and
/// exits with the failure's status.
final class Output {
    let json: Bool
    let redactor: Redactor

    init(json: Bool, showSecrets: Bool) {
        self.json = json
        self.redactor = Redactor(showSecrets: showSecrets)
    }

    /// Runs a command body; a `Failure` becomes its stderr line and exit status.
    func run(_ body: () throws(Failure) -> Void) throws {
        do {
            try body()
        } catch {
            emit(Event(.error(ErrorReport(error))))
            throw ExitCode(error.exitStatus.rawValue)
        }
    }

    func emit(_ event: Event) {
        if json, let object = event.json(redactor: redactor) {
            Output.write(object.serialized(redactor: redactor) + "\n", to: 1)
            if case .error(let report) = event.kind { stderrLine(report.failure.message) }
            return
        }
        switch event.kind {
        case .login(let login): human(login)
        case .refresh(let refresh): human(refresh)
        case .token(let token): human(token)
        case .status(let status): human(status)
        case .error(let report): stderrLine(report.failure.message)
        case .note(let text): stderrLine(text)
        default: break
        }
    }

    /// A line for people on stdout (nothing under `--json`).
    func line(_ text: String) {
        guard !json else { return }
        Output.write(redactor.text(text) + "\n", to: 1)
    }

    /// Raw output that is the command's product (`wsauth token`): not redacted.
    func product(_ text: String) {
        Output.write(text + "\n", to: 1)
    }

    private func stderrLine(_ text: String) {
        Output.write("wsauth: " + redactor.text(text) + "\n", to: 2)
    }

    /// Straight to the file descriptor, unbuffered, so that JSON lines reach a
    /// pipe as they happen and stdout and stderr keep their order.
    private static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    // MARK: People

    /// `2026-11-22T04:00:00.000Z (in 14m59s)` or `… (3m12s ago)`.
    static func when(_ date: Date?, now: Date = Date()) -> String {
        guard let date else { return "unknown" }
        let delta = date.timeIntervalSince(now)
        let relative = delta >= 0 ? "in \(TimeSpan.format(seconds: delta))" : "\(TimeSpan.format(seconds: -delta)) ago"
        return "\(Timestamp.rfc3339(date)) (\(relative))"
    }

    private func human(_ login: LoginReport) {
        let who = login.user.map { "logged in as \($0)" } ?? "logged in"
        if let type = login.tokenType {
            line("\(who): \(type) token, expires \(Output.when(login.expiresAt))")
        } else {
            line("\(who): session cookie, no token")
        }
        if !login.cookies.isEmpty { line("cookies set: \(login.cookies.joined(separator: ", "))") }
        for warning in login.warnings { stderrLine("warning: \(warning)") }
    }

    private func human(_ refresh: RefreshReport) {
        if let skipped = refresh.skipped {
            line("not refreshed: \(skipped)")
        } else if refresh.ok {
            line("refreshed: token expires \(Output.when(refresh.expiresAt))\(refresh.rotated ? "; refresh token rotated" : "")")
        }
    }

    private func human(_ token: TokenReport) {
        guard !token.opaque else {
            line("opaque token (not a JWT): its expiry is known only to the server")
            return
        }
        if let header = token.header { line("header: " + header.pretty(redactor: redactor)) }
        if let claims = token.claims {
            line("claims: " + claims.pretty(redactor: redactor))
            for name in ["exp", "iat", "nbf"] {
                if case .number(let seconds)? = claims[name] {
                    line("\(name): \(Output.when(Date(timeIntervalSince1970: seconds)))")
                }
            }
        }
        if token.expiresAt == nil { line("no exp claim: the token does not say when it expires") }
    }

    private func human(_ status: StatusReport) {
        guard status.loggedIn else {
            line("profile \(status.profile): not logged in")
            return
        }
        line("profile \(status.profile): logged in")
        line("  access token: expires \(Output.when(status.accessExpiresAt))")
        line("  refresh token: \(status.refreshToken ? "stored" : "none")")
        line("  cookies: \(status.cookies.isEmpty ? "none" : status.cookies.joined(separator: ", "))")
    }
}
