/// What a `probe` or `connect` run did, as the steps CI reports show
/// (docs/ci.md): the handshake, the application handshake when `--app` is given,
/// then each `--expect`, `--count` and `--expect-close`, in that order.
///
/// A step that did not hold has failed with the reason; a step that never got its
/// chance because an earlier one failed is skipped with the reason.
public struct RunReport: Sendable {
    /// `probe` or `connect`.
    public var command: String
    /// The URL as given (or the profile's `ws_url`), before redaction.
    public var target: String
    public var app: String?
    public var script: SessionScript
    public var handshake: HandshakeReport?
    public var rejection: RejectionReport?
    public var close: CloseReport?
    public var progress: ScriptProgress
    /// What ended the run, nil on success.
    public var failure: Failure?
    public var seconds: Double

    public init(
        command: String,
        target: String,
        app: String?,
        script: SessionScript,
        recorder: RunRecorder,
        progress: ScriptProgress,
        failure: Failure?,
        seconds: Double
    ) {
        self.command = command
        self.target = target
        self.app = app
        self.script = script
        self.handshake = recorder.handshake
        self.rejection = recorder.rejection
        self.close = recorder.close
        self.progress = progress
        self.failure = failure
        self.seconds = seconds
    }

    public var exitCode: Int32 { failure?.exitStatus.rawValue ?? 0 }

    public var steps: [RunStep] {
        var steps = [handshakeStep]
        // The first step that failed makes every later one skipped.
        var blocked: String? = handshake == nil ? "the handshake failed" : nil
        if let app {
            let name = "app handshake (\(app))"
            if let blocked {
                steps.append(RunStep(name, .skipped(blocked)))
            } else if progress.appOpened {
                steps.append(RunStep(name, .passed("\(app) session open")))
            } else {
                steps.append(RunStep(name, .failed(failure?.message ?? "the \(app) session did not open")))
                blocked = "the \(app) handshake failed"
            }
        }
        for (index, expectation) in script.expectations.enumerated() {
            let name = "expect \(index + 1): \(expectation.pattern)"
            if let blocked {
                steps.append(RunStep(name, .skipped(blocked)))
            } else if index < progress.nextExpectation {
                steps.append(RunStep(name, .passed("a received message matched")))
            } else if index == progress.nextExpectation {
                steps.append(RunStep(name, .failed(ended("no received message matched"))))
            } else {
                // --expect patterns are met in order: this one was never looked for.
                steps.append(RunStep(name, .skipped("--expect \(progress.nextExpectation + 1) was not met first")))
            }
        }
        if let count = script.count {
            let name = "count \(count)"
            if let blocked {
                steps.append(RunStep(name, .skipped(blocked)))
            } else if progress.received >= count {
                steps.append(
                    RunStep(name, .passed("received \(progress.received) message\(progress.received == 1 ? "" : "s")"))
                )
            } else {
                steps.append(RunStep(name, .failed(ended("received \(progress.received) of \(count) messages"))))
            }
        }
        if let codes = script.expectClose {
            let wanted = codes.sorted().map(String.init).joined(separator: ",")
            let name = "expect-close \(wanted)"
            if let blocked {
                steps.append(RunStep(name, .skipped(blocked)))
            } else if let close, close.initiator == .server, codes.contains(close.code) {
                steps.append(RunStep(name, .passed("the server closed with \(close.code) (\(close.meaning))")))
            } else {
                steps.append(RunStep(name, .failed(ended("the server did not close with \(wanted)"))))
            }
        }
        return steps
    }

    private var handshakeStep: RunStep {
        if let handshake {
            let subprotocol = handshake.subprotocol.map { ", subprotocol \($0)" } ?? ""
            return RunStep("handshake", .passed("HTTP \(handshake.status)\(subprotocol)"))
        }
        if let failure { return RunStep("handshake", .failed(failure.message)) }
        if let rejection { return RunStep("handshake", .failed("HTTP \(rejection.status) instead of 101")) }
        return RunStep("handshake", .failed("no handshake was made"))
    }

    /// A step's own reason, then what ended the run when that says more.
    private func ended(_ reason: String) -> String {
        guard let failure else { return reason }
        return "\(reason): \(failure.message)"
    }

    /// How the connection ended, in one sentence (the Actions summary).
    public var ending: String {
        if let close {
            let who = close.initiator == .server ? "the server" : "wsauth"
            let reason = close.reason.isEmpty ? "" : " \"\(close.reason)\""
            return "closed by \(who) with \(close.code)\(reason) (\(close.meaning))"
        }
        if let failure { return failure.message }
        return handshake == nil ? "no connection was made" : "the connection ended without a close frame"
    }
}

/// One testcase of the run's JUnit report, one row of its summary.
public struct RunStep: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case passed(String)
        case failed(String)
        case skipped(String)
    }

    public var name: String
    public var outcome: Outcome

    public init(_ name: String, _ outcome: Outcome) {
        self.name = name
        self.outcome = outcome
    }

    public var detail: String {
        switch outcome {
        case .passed(let text), .failed(let text), .skipped(let text): text
        }
    }
}
