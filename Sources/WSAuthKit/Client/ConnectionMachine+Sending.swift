/// What one connection sends: messages, input in the app's terms, REPL commands for the
/// app, the scripted `--send`s, and the bytes queued for the driver to write.
extension ConnectionMachine {
    mutating func send(_ payload: MessagePayload, carriesCredential: Bool, out: inout [SessionAction]) {
        let queued =
            switch payload {
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

    /// A REPL command for the app protocol; without `--app` there is nobody to ask.
    mutating func appCommand(_ command: AppCommand, now: Double, _ out: inout [SessionAction]) {
        guard app != nil else {
            return out.append(.emit(Event(.note("\(command.name) needs --app"))))
        }
        apply(app?.command(command, now: now) ?? [], now: now, &out)
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
