/// The application-protocol seam (docs/reference/behaviour.md "Application protocols"): what an
/// `AppSession` asks for, carried out on this connection.
extension ConnectionMachine {
    mutating func apply(_ actions: [AppAction], now: Double, _ out: inout [SessionAction]) {
        for action in actions where !isOver {
            apply(action, now: now, &out)
        }
    }

    private mutating func apply(_ action: AppAction, now: Double, _ out: inout [SessionAction]) {
        let name = app?.name ?? "app"
        switch action {
        case .transmit(let payload, let carriesCredential):
            send(payload, carriesCredential: carriesCredential, out: &out)
        case .accepted(let handshake):
            accepted(handshake, now: now, &out)
        case .rejected(let message):
            out.append(rejected(app: name, message: message))
            endApp(.appRejected(app: name, message: message), now: now, &out)
        case .deliver(let message):
            out.append(.receivedApp(message))
            counted(message.text, counts: message.counts, now: now, &out)
        case .keepalive(let keepalive):
            let report = ControlFrameReport(direction: keepalive.direction, data: Array(keepalive.data.utf8))
            out.append(.emit(Event(keepalive.kind == .ping ? .ping(report) : .pong(report))))
        case .serverEnded(let reason):
            endApp(.appEnded(app: name, reason: reason), now: now, &out)
        case .serverDisconnected(let reasonCode, let message, let outcome):
            switch outcome {
            case .refused:
                out.append(rejected(app: name, message: message))
                endApp(.appRejected(app: name, message: message), closeReason: reasonCode, now: now, &out)
            case .renew:
                endApp(.appEnded(app: name, reason: message), closeReason: reasonCode, now: now, &out)
            case .final:
                endApp(.appEndedForGood(app: name, reason: message), closeReason: reasonCode, now: now, &out)
            }
        case .protocolError(let detail):
            endApp(.appProtocolError(app: name, detail: detail), now: now, &out)
        case .timedOut(let message):
            guard isOpen else { return }
            emit(
                ending.abort(.dropped(message), code: CloseCode.abnormalClosure.rawValue, reason: "\(name) timeout"),
                &out
            )
            judgeAppDrop()
        case .unanswered(let message):
            beginClose(.normalClosure, "", end: .timedOut(message), now: now, &out)
        case .violation(let detail):
            violation(detail, app: name, &out)
        case .request(let request):
            // The driver performs the request at once (ConnectionLoop): what was queued before
            // it goes on the wire first, so the wire and the `sent` events keep one order.
            flush(&out)
            out.append(.appRequest(request))
        case .noReconnect:
            if afterEnd == .sessionDecides { afterEnd = .noReconnect }
        case .notice(let text):
            out.append(.emit(Event(.note(text))))
        case .closeWebSocket:
            if let held = ending.releaseHeld(now: nil) {
                connection.close(code: held.code, reason: held.reason)
            } else {
                beginClose(.normalClosure, "", end: .finished, now: now, &out)
            }
        }
    }

    /// The driver performed what the app asked (`AppAction.request`).
    mutating func answered(_ answer: AppHTTPAnswer, now: Double, _ out: inout [SessionAction]) {
        guard !misusedOver("answered") else { return }
        apply(app?.answered(answer, now: now) ?? [], now: now, &out)
        checkTimers(now: now, &out)
        flush(&out)
    }

    /// The app ended the session: our close goes out for that end (with `closeReason`,
    /// what the `close` event says), and a server close that overtakes it (in the
    /// same read) is read as that end too (`judgeAppClose`).
    private mutating func endApp(
        _ end: ConnectionEnd,
        closeReason: String = "",
        now: Double,
        _ out: inout [SessionAction]
    ) {
        var reason = closeReason.isEmpty ? nil : closeReason
        var wasAccepted = appStage.isAccepted
        if case .ended(_, let earlier, let accepted) = appStage {
            // A second end in one batch of app actions: the latest end counts, the first reason given stays.
            reason = reason ?? earlier
            wasAccepted = accepted
        }
        appStage = .ended(end, closeReason: reason, wasAccepted: wasAccepted)
        beginClose(.normalClosure, closeReason, end: end, now: now, &out)
    }

    /// The `rejected` event of an app-level refusal on the upgraded socket.
    private func rejected(app name: String, message: String) -> SessionAction {
        .emit(
            Event(
                .rejected(
                    RejectionReport(
                        url: handshake.url,
                        status: 101,
                        statusLine: handshake.statusLine,
                        headers: [],
                        body: "",
                        wwwAuthenticate: nil,
                        app: name,
                        message: message
                    )
                )
            )
        )
    }

    /// The app-level handshake is done: the scripted sends may go, and the quiet
    /// period at the end of input counts.
    private mutating func accepted(_ handshake: AppHandshake, now: Double, _ out: inout [SessionAction]) {
        switch appStage {
        case .handshaking: appStage = .accepted
        case .accepted: break
        case .ended(let end, let closeReason, _): appStage = .ended(end, closeReason: closeReason, wasAccepted: true)
        }
        progress.appOpened = true
        out.append(.emit(Event(.appOpened(app: handshake.app, details: handshake.details))))
        sendScripted(now: now, &out)
    }

    /// The server's close, judged by the app protocol (graphql-ws answers with
    /// close codes): a refusal gets its `rejected` event like any app refusal.
    /// A close that came with the refusal (Strawberry's `connection_error` then
    /// 1011, before our close went out) ends the connection as that refusal, and
    /// one that came with the app's end (RabbitMQ's ERROR then 1000) as that end.
    /// `--expect-close` names the codes the person expects, so it comes first.
    /// A close frame without a status (1005) is judged as that code.
    mutating func judgeAppClose(_ out: inout [SessionAction]) {
        guard let app, script.expectClose == nil, case .serverClosed(let code, let reason)? = ending.end else { return }
        if case .ended(let appEnd, _, _) = appStage { return ending.reinterpret(as: appEnd) }
        let status = code ?? CloseCode.noStatusReceived.rawValue
        guard let verdict = app.closeVerdict(code: status, reason: reason) else { return }
        switch verdict {
        case .refused(let message):
            out.append(rejected(app: app.name, message: message))
            ending.reinterpret(as: .appRejected(app: app.name, message: message))
        case .protocolError(let detail):
            ending.reinterpret(as: .appProtocolError(app: app.name, detail: detail))
        case .ended(let reason):
            ending.reinterpret(as: .appEnded(app: app.name, reason: reason))
        }
    }

    /// A drop, as the app protocol reads it: one it blames on the token (an MQTT
    /// broker ending the connection without DISCONNECT) has `--reconnect` refresh first.
    mutating func judgeAppDrop() {
        guard let app, case .dropped(let message)? = ending.end, let cause = app.dropCause(message) else { return }
        ending.reinterpret(as: .appDropped(app: app.name, message: cause))
    }

    /// The framing is intact, so our close goes out; the app's bytes are no
    /// longer trusted, so we do not wait for the answer.
    private mutating func violation(_ detail: String, app name: String, _ out: inout [SessionAction]) {
        let reason = "\(name) protocol violation"
        connection.close(code: .protocolError, reason: reason)
        emit(
            ending.abort(
                .appViolation(app: name, detail: detail),
                code: CloseCode.protocolError.rawValue,
                reason: reason
            ),
            &out
        )
    }
}

extension ConnectionMachine.AppStage {
    var isAccepted: Bool {
        if case .accepted = self { true } else { false }
    }
}
