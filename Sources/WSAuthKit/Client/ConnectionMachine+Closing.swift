/// Timers, sending and the close handshake of one connection.
extension ConnectionMachine {
    var isOver: Bool {
        if case .over = phase { return true }
        return false
    }

    var isOpen: Bool { phase == .open }

    /// The end we are closing for, while our close is out.
    var closingEnd: SessionEnd? {
        if case .closing(let end, _, _) = phase { return end }
        return nil
    }

    mutating func checkTimers(now: Double, _ out: inout [SessionAction]) {
        if case .closing(let end, _, let until) = phase, now >= until {
            // The server never answered our close: give up on the close handshake.
            phase = .over(end)
            return
        }
        guard isOpen else { return }
        if let passed = sessionDeadlines.first(where: { now >= $0.at }) {
            beginClose(.normalClosure, "", end: .timedOut("timed out (\(passed.flag)) \(pendingDescription)"), now: now, &out)
        } else if script.expectClose != nil, let within = withinDeadline, now >= within, let span = script.within {
            beginClose(.normalClosure, "", end: .timedOut("the server did not close within \(span) (--expect-close)"), now: now, &out)
        } else if keepalive.isOverdue(now: now), let wait = keepalive.pongWait {
            reportClose(code: CloseCode.abnormalClosure.rawValue, reason: "pong timeout", initiator: .client, &out)
            phase = .over(.dropped("no pong within \(TimeSpan.format(seconds: wait)) of a ping: the peer is unresponsive"))
        } else {
            if let payload = keepalive.duePing(now: now), connection.sendPing(payload) {
                out.append(.emit(Event(.ping(ControlFrameReport(direction: .out, data: payload)))))
            }
            if let due = app?.nextDeadline, now >= due {
                apply(app?.timerFired(now: now) ?? [], now: now, &out)
            }
            if let quiet, quiet.isOver(now: now, waitingForApp: !authenticated) {
                beginClose(script.closeCode, script.closeReason, end: .finished, now: now, &out)
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

    /// What the session is still waiting for, for the timeout message.
    var pendingDescription: String {
        if progress.nextExpectation < script.expectations.count {
            return "waiting for a message matching --expect '\(script.expectations[progress.nextExpectation].pattern)'"
        }
        if let count = script.count, progress.received < count {
            return "after \(progress.received) of \(count) messages (--count)"
        }
        if let codes = script.expectClose {
            return "waiting for the server to close with \(codes.sorted().map(String.init).joined(separator: ","))"
        }
        return "waiting for the connection to finish"
    }

    /// Sends our close (after the app's goodbye) and waits up to `closeWait` for the answer.
    mutating func beginClose(_ code: CloseCode, _ reason: String, end: SessionEnd, now: Double, _ out: inout [SessionAction]) {
        guard isOpen, connection.state == .open else { return }
        phase = .closing(end, reason: reason, until: now + ConnectionMachine.closeWait)
        if app != nil { apply(app?.finish(now: now) ?? [], now: now, &out) }
        connection.close(code: code, reason: reason)
    }

    /// One `close` event per connection: the close that settles it.
    func reportClose(code: UInt16, reason: String, initiator: Initiator, _ out: inout [SessionAction]) {
        out.append(.emit(Event(.close(CloseReport(
            code: code, reason: reason, initiator: initiator.rawValue, meaning: CloseCode(rawValue: code).meaning,
            auth: script.authCloseCodes.contains(code))))))
    }

    mutating func send(_ payload: MessagePayload, carriesCredential: Bool, out: inout [SessionAction]) {
        let queued = switch payload {
        case .text(let text): connection.sendText(text)
        case .binary(let bytes): connection.sendBinary(bytes)
        }
        guard queued else { return }
        sentData = true
        out.append(.emit(Event(.sent(MessageReport(payload: payload, carriesCredential: carriesCredential)))))
    }

    /// A line of input or a `--send`: raw on the WebSocket, or in the app's terms.
    mutating func sendInput(_ payload: MessagePayload, now: Double, _ out: inout [SessionAction]) {
        guard let name = app?.name else { return send(payload, carriesCredential: false, out: &out) }
        switch payload {
        case .text(let line):
            apply(app?.send(line, now: now) ?? [], now: now, &out)
        case .binary:
            out.append(.emit(Event(.note("binary input cannot be sent as a \(name) message; not sent"))))
        }
    }

    /// `--send`/`--send-binary` not yet sent (they are sent once across reconnects).
    mutating func sendScripted(now: Double, _ out: inout [SessionAction]) {
        while progress.nextSend < script.sends.count, isOpen {
            let payload = script.sends[progress.nextSend]
            progress.nextSend += 1
            sendInput(payload, now: now, &out)
        }
    }

    mutating func flush(_ out: inout [SessionAction]) {
        if connection.hasOutbound { out.append(.write(connection.takeOutbound())) }
    }
}
