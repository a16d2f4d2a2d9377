/// What a non-interactive `connect` is asked to do (docs/reference/behaviour.md "Scripting").
public struct SessionScript: Sendable {
    /// `--send` / `--send-binary`, in order.
    public var sends: [MessagePayload] = []
    /// `--expect` patterns, satisfied in order.
    public var expectations: [Expectation] = []
    /// `--count N`: done after N received data messages.
    public var count: Int?
    /// `--expect-close CODE,…`: succeed only if the server closes with one of these.
    public var expectClose: Set<UInt16>?
    /// `--within`: how long after the handshake `--expect-close` may take.
    public var within: TimeSpan?
    /// `--timeout`: exit 5 when not done by then.
    public var timeout: TimeSpan?
    /// `--close CODE[:REASON]`: the close we send when done.
    public var closeCode: CloseCode = .normalClosure
    public var closeReason = ""
    public var pingInterval: TimeSpan?
    public var authCloseCodes: Set<UInt16> = Set(CloseCode.defaultAuthCodes.map(\.rawValue))
    /// The largest message accepted; a larger one is refused with 1009.
    public var maxMessageSize = 64 << 20

    public init() {}

    /// Scripting flags make the conditions, not the end of stdin, decide when to finish.
    public var isScripted: Bool { !expectations.isEmpty || count != nil || expectClose != nil }

    public struct Expectation: @unchecked Sendable {
        public let pattern: String
        let regex: Regex<AnyRegexOutput>

        public init(_ pattern: String) throws(Failure) {
            do {
                regex = try Regex(pattern)
            } catch {
                throw Failure.usage("invalid --expect pattern '\(pattern)': \(error)")
            }
            self.pattern = pattern
        }

        public func matches(_ text: String) -> Bool {
            (try? regex.firstMatch(in: text)) != nil
        }
    }

    /// `--close CODE[:REASON]`; the code must be one a client may send.
    public static func readClose(_ text: String) throws(ArgumentProblem) -> CloseRequest {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        do throws(CloseRequest.Problem) {
            return try CloseRequest(code: parts[0], reason: parts.count > 1 ? String(parts[1]) : "")
        } catch .unsendableCode {
            throw ArgumentProblem("use CODE[:REASON] with a code of \(CloseRequest.sendableCodes)")
        } catch {
            throw ArgumentProblem("at most 123 bytes of reason fit in a close frame (RFC 6455 §5.5)")
        }
    }

    /// `--expect-close CODE[,CODE…]` and `--auth-close-codes`.
    public static func readCodes(_ text: String) throws(ArgumentProblem) -> Set<UInt16> {
        var codes: Set<UInt16> = []
        for part in text.split(separator: ",") {
            guard let code = UInt16(part.trimmingSpaces()) else {
                throw ArgumentProblem("use a comma-separated list of close codes")
            }
            codes.insert(code)
        }
        guard !codes.isEmpty else { throw ArgumentProblem("no close code given") }
        return codes
    }

    /// `--count`: a number of messages, 0 or more.
    public static func readCount(_ text: String) throws(ArgumentProblem) -> Int {
        guard let count = Int(text), count >= 0 else { throw ArgumentProblem("use a whole number, 0 or more") }
        return count
    }

    /// `--max-message-size`: bytes, more than 0.
    public static func readSize(_ text: String) throws(ArgumentProblem) -> Int {
        guard let size = Int(text), size > 0 else { throw ArgumentProblem("use a whole number of bytes, more than 0") }
        return size
    }
}

/// How far a script has got; kept across reconnects, so `--count` counts every
/// message and `--expect` resumes where it was.
public struct ScriptProgress: Sendable {
    public var received = 0
    public var nextExpectation = 0
    public var nextSend = 0
    /// `--app`: the application handshake was accepted on some connection (the
    /// reports tell it apart from the WebSocket handshake).
    public var appOpened = false

    public init() {}

    /// A message for the person: it counts for `--count` and, with text, for `--expect`.
    mutating func record(_ text: String?, counts: Bool = true, script: SessionScript) {
        if counts { received += 1 }
        if let text, nextExpectation < script.expectations.count, script.expectations[nextExpectation].matches(text) {
            nextExpectation += 1
        }
    }

    /// What the session is still waiting for, for the timeout message.
    func pendingDescription(_ script: SessionScript) -> String {
        if nextExpectation < script.expectations.count {
            return "waiting for a message matching --expect '\(script.expectations[nextExpectation].pattern)'"
        }
        if let count = script.count, received < count {
            return "after \(received) of \(count) messages (--count)"
        }
        if let codes = script.expectClose {
            return "waiting for the server to close with \(codes.sorted().map(String.init).joined(separator: ","))"
        }
        return "waiting for the connection to finish"
    }

    public func isSatisfied(by script: SessionScript) -> Bool {
        guard script.isScripted, script.expectClose == nil else { return false }
        let expectationsMet = nextExpectation >= script.expectations.count
        let countMet = script.count.map { received >= $0 } ?? true
        return expectationsMet && countMet
    }
}
