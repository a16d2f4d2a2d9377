/// app: with `--app`, the handshake inside the socket read the way `upgrade` reads
/// the HTTP one (docs/reference/behaviour.md "Application protocols": an app-level refusal is a rejection).
extension DoctorRunner {
    /// Nil when the app was never reached (the upgrade's finding says why) or the
    /// socket closed during its handshake (the upgrade's finding reads the close).
    func appFinding(_ attempt: ProbeOutcome, app: String) -> DoctorFinding? {
        let check = appFix.map { "; check \($0)" } ?? ""
        switch attempt {
        case .appAccepted, .accepted:
            return .ok(.app, "\(app) accepted the credentials at its own handshake")
        case .appRefused(_, _, let message):
            return .error(
                .app,
                "the upgrade succeeded, but \(app) refused the credentials at its own handshake: \"\(ServerText.shown(message))\"",
                fix: "put the token where the server reads it (see placement)\(check)",
                exit: .authRejected
            )
        case .appSilent(_, _, let why):
            return .error(
                .app,
                "the upgrade succeeded, but the server never completed the \(app) handshake: \(why.text)",
                fix: "check that the server speaks \(app) at this URL (--app, the path)\(check)",
                exit: .handshakeFailed
            )
        case .closed, .rejected, .failed:
            return nil
        }
    }
}

extension AppSilence {
    /// Why, to follow "never completed the handshake: ".
    var text: String {
        switch self {
        case .noAnswer(let bound): "no answer to its handshake within \(bound)"
        case .timedOut(let why), .violation(let why): why
        }
    }
}
