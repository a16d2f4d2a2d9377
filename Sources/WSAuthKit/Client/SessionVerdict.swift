/// Turns how a connection ended into the exit status of docs/reference/exit-codes.md.
public enum SessionVerdict {
    /// nil means success (exit 0).
    public static func failure(for end: ConnectionEnd, script: SessionScript, progress: ScriptProgress) -> Failure? {
        switch end {
        case .finished:
            return nil
        case .timedOut(let message):
            return Failure(.timeout, message)
        case .violation(let violation):
            return Failure(
                .protocol,
                "protocol violation by the server: \(violation); closed with \(violation.closeCode.rawValue)"
            )
        case .appViolation(let app, let detail):
            return Failure(.protocol, "\(app) protocol violation by the server: \(detail); closed with 1002")
        case .appProtocolError(let app, let detail):
            return Failure(.protocol, "the server ended the \(app) session for a protocol error: \(detail)")
        case .appRejected(let app, let message):
            return Failure(
                .auth,
                "\(app) refused the credentials: \(message); run 'wsauth refresh' or use --reconnect",
                cause: .appRefused
            )
        case .appEnded(let app, let reason), .appEndedForGood(let app, let reason):
            let why = reason.isEmpty ? "" : ": \(reason)"
            return Failure(.closed, "the server ended the \(app) session\(why)")
        case .appDropped(_, let message):
            return failure(for: .dropped(message), script: script, progress: progress)
        case .dropped(let message):
            if script.expectClose != nil {
                return Failure(.closed, "\(message), not the expected close (--expect-close)", exit: .timeout)
            }
            return Failure(.network, "connection dropped: \(message)")
        case .serverClosed(let code, let reason):
            let shownCode = code ?? CloseCode.noStatusReceived.rawValue
            let closeCode = CloseCode(rawValue: shownCode)
            let why = reason.isEmpty ? "" : " \"\(reason)\""
            let described = "\(shownCode)\(why) (\(closeCode.meaning))"
            if let expected = script.expectClose {
                if expected.contains(shownCode) { return nil }
                let wanted = expected.sorted().map(String.init).joined(separator: ",")
                return Failure(
                    .closed,
                    "the server closed with \(described), expected \(wanted) (--expect-close)",
                    exit: .timeout
                )
            }
            if script.authCloseCodes.contains(shownCode) {
                return Failure(
                    .auth,
                    "the server closed the connection with auth close code \(described); run 'wsauth refresh' or use --reconnect"
                )
            }
            let clean = shownCode == 1000 || shownCode == 1001 || shownCode == 1005
            if !clean {
                return Failure(.closed, "the server closed the connection with \(described)")
            }
            if script.isScripted, !progress.isSatisfied(by: script) {
                return Failure(
                    .closed,
                    "the server closed the connection (\(shownCode)) before the script was done: \(pendingText(script, progress))",
                    exit: .timeout
                )
            }
            return nil
        }
    }

    static func pendingText(_ script: SessionScript, _ progress: ScriptProgress) -> String {
        if progress.nextExpectation < script.expectations.count {
            return "no message matched --expect '\(script.expectations[progress.nextExpectation].pattern)'"
        }
        if let count = script.count {
            return "received \(progress.received) of \(count) messages (--count)"
        }
        return "expectations not met"
    }

    /// A handshake answered with something other than 101.
    public static func failure(for rejection: RejectionReport, tokenGiven: Bool) -> Failure {
        let challenge = rejection.wwwAuthenticate.map { " (WWW-Authenticate: \($0))" } ?? ""
        let refused = FailureCause.handshakeRefused(status: rejection.status)
        switch rejection.status {
        case 401:
            let hint =
                tokenGiven
                ? "check the token or run 'wsauth refresh'" : "no token was sent: pass --token… or run 'wsauth login'"
            return Failure(.auth, "handshake rejected: HTTP 401\(challenge); \(hint)", cause: refused)
        case 403:
            return Failure(
                .auth,
                "handshake rejected: HTTP 403\(challenge); the credentials or the Origin are not allowed",
                cause: refused
            )
        default:
            return Failure(
                .handshake,
                "handshake failed: HTTP \(rejection.status) instead of 101 Switching Protocols\(challenge)",
                cause: refused
            )
        }
    }
}
