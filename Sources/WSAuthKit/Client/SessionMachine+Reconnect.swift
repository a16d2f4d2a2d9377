/// What happens between connections: the verdict of one that ended, and whether,
/// when and with which token the next one opens (docs/reference/behaviour.md `connect --reconnect`).
extension SessionMachine {
    mutating func connect() -> [SessionAction] {
        stage = .connecting
        return [.connect(token: token, deadline: deadlines.map(\.at).min())]
    }

    func deadlinePassed(_ now: Double) -> Bool {
        deadlines.contains { now >= $0.at }
    }

    /// Runs one event through the open connection, then settles its end if it ended.
    mutating func step(now: Double, _ body: (inout ConnectionMachine, inout [SessionAction]) -> Void) -> [SessionAction]
    {
        var out: [SessionAction] = []
        step(now: now, into: &out, body)
        return out
    }

    /// `step`, its actions appended to `out`.
    mutating func step(
        now: Double,
        into out: inout [SessionAction],
        _ body: (inout ConnectionMachine, inout [SessionAction]) -> Void
    ) {
        guard case .connected(var open) = stage else { return }
        // Out of `stage` while it runs, so that its buffers are mutated in place, not copied.
        stage = .connecting
        body(&open.connection, &out)
        stage = .connected(open)
        afterStep(now: now, &out)
    }

    mutating func afterStep(now: Double, _ out: inout [SessionAction]) {
        guard case .connected(var open) = stage else { return }
        let connection = open.connection
        if connection.authenticated, open.authenticatedSince == nil {
            open.authenticatedSince = now
            stage = .connected(open)
        }
        if let since = open.authenticatedSince, now - since >= Self.provenAfter,
            attempt != 0 || refreshedForThisFailure
        {
            // Authenticated again, and it lasted: the next failure is a new one, with its own refresh.
            attempt = 0
            refreshedForThisFailure = false
        }
        guard let end = connection.ending.end else { return }
        progress = connection.progress
        previousApp = connection.app
        inputOpen = connection.inputOpen
        // We failed the connection: our close is out, the server may still be sending.
        let failedByUs = if case .violation = end { true } else { false }
        out.append(.endConnection(awaitingPeer: failedByUs))
        // Every path below leaves `.connected`: to the next connection, a refresh, a backoff, the person, or the end.
        switch connection.afterEnd {
        case .sessionDecides:
            connectionOver(end, requested: nil, now: now, &out)
        case .noReconnect:
            askPerson(after: nil, verdict: SessionVerdict.failure(for: end, script: script, progress: progress), &out)
        case .personAsked(let request):
            connectionOver(end, requested: request, now: now, &out)
        }
    }

    /// How long a connection must stay authenticated before a refusal counts as a
    /// new failure: a server that accepts the upgrade (or the app's handshake) and
    /// closes with 4001 at once has not accepted the token.
    static let provenAfter = 1.0

    mutating func connectionOver(
        _ end: ConnectionEnd,
        requested: InputAction?,
        now: Double,
        _ out: inout [SessionAction]
    ) {
        let verdict = SessionVerdict.failure(for: end, script: script, progress: progress)
        if let requested {
            return reconnect(on: requested, &out)
        }
        guard configuration.reconnect != nil, let failure = verdict, let cause = end.reconnectCause(script: script)
        else {
            return askPerson(after: nil, verdict: verdict, &out)
        }
        guard !(refreshedForThisFailure && end.blamesTheToken) else {
            // The refresh did not help: refreshing again would loop to --max-retries.
            let refused = Failure(
                .auth,
                "the refreshed token was refused too (\(cause)): refreshing again will not help",
                exit: .authRejected
            )
            return askPerson(after: nil, verdict: refused, &out)
        }
        retry(failure, cause: cause, refresh: end.blamesTheToken, now: now, &out)
    }

    /// `--reconnect` decided to try again: refresh first when the token is the cause.
    mutating func retry(_ failure: Failure, cause: String, refresh: Bool, now: Double, _ out: inout [SessionAction]) {
        guard configuration.reconnect != nil, !deadlinePassed(now) else { return finish(failure, &out) }
        if refresh, configuration.canRefresh {
            stage = .refreshing(then: .retry(failure, cause: cause))
            out.append(.refresh)
            return
        }
        backOff(failure, cause: cause, now: now, &out)
    }

    mutating func backOff(_ failure: Failure, cause: String, now: Double, _ out: inout [SessionAction]) {
        guard let policy = configuration.reconnect else { return finish(failure, &out) }
        attempt += 1
        guard attempt <= policy.maxRetries else {
            let gaveUp = Failure(
                failure.kind,
                "\(failure.message) (gave up after \(policy.maxRetries) reconnect attempts)",
                cause: failure.cause,
                exit: failure.exitOverride
            )
            return finish(gaveUp, &out)
        }
        let delay = policy.delay(forAttempt: attempt, random: configuration.jitter())
        out.append(
            .emit(Event(.reconnect(ReconnectReport(attempt: attempt, delayMs: Int(delay * 1000), cause: cause))))
        )
        stage = .backingOff(until: ([now + delay] + deadlines.map(\.at)).min()!)
    }

    /// The person asked (`/refresh`, `/reconnect`): reconnect at once. Without a
    /// way to refresh (a token from the command line or the environment, none
    /// stored), the person is told before the same token is used again.
    mutating func reconnect(on request: InputAction, _ out: inout [SessionAction]) {
        guard request == .refreshAndReconnect else {
            out += connect()
            return
        }
        guard configuration.canRefresh else {
            out.append(
                .emit(
                    Event(
                        .refresh(
                            RefreshReport(
                                ok: false,
                                expiresAt: nil,
                                rotated: false,
                                skipped:
                                    "nothing to refresh with (a token from the command line or the environment, or no refresh token stored); reconnecting with the same token"
                            )
                        )
                    )
                )
            )
            out += connect()
            return
        }
        stage = .refreshing(then: .reconnectNow)
        out.append(.refresh)
    }

    /// No automatic retry: the REPL may still let the person choose.
    mutating func askPerson(after failure: Failure?, verdict: Failure?, _ out: inout [SessionAction]) {
        stage = .askingPerson(verdict: verdict)
        out.append(.askPerson(after: failure))
    }

    mutating func finish(_ failure: Failure?, _ out: inout [SessionAction]) {
        stage = .done
        out.append(.finish(failure))
    }
}
