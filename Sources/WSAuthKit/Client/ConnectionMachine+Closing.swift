/// Timers and the close handshake of one connection (sending is ConnectionMachine+Sending).
extension ConnectionMachine {
    var isOver: Bool { ending.isOver }
    var isOpen: Bool { ending.isOpen }

    mutating func checkTimers(now: Double, _ out: inout [SessionAction]) {
        if let held = ending.releaseHeld(now: now) { connection.close(code: held.code, reason: held.reason) }
        ending.expire(now: now)
        guard isOpen else { return }
        if let passed = sessionDeadlines.first(where: { now >= $0.at }) {
            beginClose(
                .normalClosure,
                "",
                end: .timedOut("timed out (\(passed.flag)) \(progress.pendingDescription(script))"),
                now: now,
                &out
            )
        } else if script.expectClose != nil, let within = withinDeadline, now >= within, let span = script.within {
            beginClose(
                .normalClosure,
                "",
                end: .timedOut("the server did not close within \(span) (--expect-close)"),
                now: now,
                &out
            )
        } else if keepalive.isOverdue(now: now), let wait = keepalive.pongWait {
            let silent = ConnectionEnd.dropped(
                "no pong within \(TimeSpan.format(seconds: wait)) of a ping: the peer is unresponsive"
            )
            emit(ending.abort(silent, code: CloseCode.abnormalClosure.rawValue, reason: "pong timeout"), &out)
            judgeAppDrop()
        } else {
            if let payload = keepalive.duePing(now: now), connection.sendPing(payload) {
                out.append(.emit(Event(.ping(ControlFrameReport(direction: .out, data: payload)))))
            }
            if let due = app?.nextDeadline, now >= due {
                apply(app?.timerFired(now: now) ?? [], now: now, &out)
            }
            if let quiet, quiet.isOver(now: now, waitingForApp: !authenticated) {
                // The app's handshake is part of the handshake (docs/reference/behaviour.md): unfinished, it is no success.
                let unfinished = ConnectionEnd.timedOut(
                    "no answer to the \(app?.name ?? "app") handshake within \(TimeSpan.format(seconds: QuietPeriod.linger)) of the end of input"
                )
                beginClose(
                    script.closeCode,
                    script.closeReason,
                    end: authenticated ? .finished : unfinished,
                    now: now,
                    &out
                )
            }
        }
    }

    /// Input has ended and no script decides when to finish: close once the
    /// server is quiet. With an app protocol, not before its handshake is done
    /// (unless the linger is over).
    mutating func startQuietPeriodIfDue(now: Double) {
        guard quiet == nil, !inputOpen, !script.isScripted, isOpen else { return }
        quiet = QuietPeriod(now: now, sentData: sentData)
    }

    /// Sends our close (after the app's goodbye) and waits up to `closeWait` for the answer.
    /// A goodbye that asks for an answer (it does not end with `.closeWebSocket`:
    /// STOMP's DISCONNECT with a receipt) holds our close until the app says
    /// `.closeWebSocket` or `goodbyeWait` has passed.
    mutating func beginClose(
        _ code: CloseCode,
        _ reason: String,
        end: ConnectionEnd,
        now: Double,
        _ out: inout [SessionAction]
    ) {
        guard connection.state == .open, ending.begin(end, reason: reason, now: now) else { return }
        let goodbye = app?.finish(now: now) ?? []
        apply(goodbye, now: now, &out)
        let awaitsAnswer = !goodbye.isEmpty && !goodbye.contains(.closeWebSocket)
        if awaitsAnswer, connection.state == .open {
            ending.hold(code, until: now + ConnectionMachine.goodbyeWait)
        } else {
            connection.close(code: code, reason: reason)
        }
    }

    /// How long an app's goodbye may wait for its answer (within the close wait).
    static let goodbyeWait = 2.0

    /// The `close` event that settles the connection, when there is one.
    func emit(_ report: CloseReport?, _ out: inout [SessionAction]) {
        if let report { out.append(.emit(Event(.close(report)))) }
    }
}
