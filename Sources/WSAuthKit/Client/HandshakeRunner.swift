#if canImport(Glibc)
import Glibc
#endif

/// An open WebSocket: the byte stream, the protocol state, and how it was opened.
public final class OpenSocket {
    public let stream: CurlStream
    public var connection: WebSocketConnection
    public let report: HandshakeReport
    /// Bytes that arrived with the 101 answer, already frames.
    public var pendingInput: [UInt8]

    init(stream: CurlStream, connection: WebSocketConnection, report: HandshakeReport, pendingInput: [UInt8]) {
        self.stream = stream
        self.connection = connection
        self.report = report
        self.pendingInput = pendingInput
    }
}

public enum HandshakeOutcome {
    case open(OpenSocket)
    case rejected(RejectionReport)
}

/// Opens the connection, writes the upgrade request, reads and checks the answer.
public enum HandshakeRunner {
    /// The most of a rejection's body we keep for the report.
    static let maxRejectionBody = 16 * 1024

    /// Opens `plan` by `deadline` (the handshake bound, docs/waits.md). A failure that
    /// looks like the other scheme is checked on the same port (SchemeProbe), within
    /// `runDeadline` (-m/--timeout): the handshake's own bound may have passed by then.
    public static func open(
        _ plan: HandshakePlan,
        transport: TransportOptions,
        maxMessageSize: Int,
        deadline: Deadline,
        runDeadline: Deadline,
        tokenPlacement: TokenPlacement?
    ) throws(Failure) -> HandshakeOutcome {
        do throws(Failure) {
            return try attempt(
                plan,
                transport: transport,
                maxMessageSize: maxMessageSize,
                deadline: deadline,
                tokenPlacement: tokenPlacement
            )
        } catch {
            guard SchemeProbe.suspects(error, url: plan.url), !runDeadline.hasPassed else { throw error }
            throw SchemeProbe.check(plan.url, transport: transport, deadline: runDeadline) ?? error
        }
    }

    static func attempt(
        _ plan: HandshakePlan,
        transport: TransportOptions,
        maxMessageSize: Int,
        deadline: Deadline,
        tokenPlacement: TokenPlacement?
    ) throws(Failure) -> HandshakeOutcome {
        let request = plan.request()
        // Said in whole seconds: "within 30s", not the 29.99 s left once the call began.
        let bound = deadline.remaining.map { TimeSpan(seconds: $0.seconds.rounded()) }
        let stream = try CurlStream(url: plan.url, options: transport, deadline: deadline)
        let started = Clock.now()
        try stream.write(request.serialized(), deadline: deadline)

        var parser = ResponseHeadParser()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let parsed: (head: HTTPResponseHead, remainder: [UInt8])
        readHead: while true {
            let read: CurlStream.ReadResult
            do throws(Failure) {
                read = try readSome(stream, into: &buffer, deadline: deadline, waitingFor: "the upgrade answer")
            } catch  where error.kind == .timeout {
                throw Failure.noAnswer(.upgradeAnswer, from: plan.url, within: bound ?? TimeSpan(seconds: 0))
            }
            switch read {
            case .data(let count):
                parser.append(Array(buffer[0..<count]))
                do {
                    if let result = try parser.parse() {
                        parsed = result
                        break readHead
                    }
                } catch {
                    throw Failure(.handshake, "bad handshake answer from \(plan.url): \(error)", cause: .notHTTP)
                }
            case .closed:
                throw Failure(
                    .network,
                    "the server closed the connection without answering the upgrade (\(plan.url))",
                    cause: .closedWithoutAnswer
                )
            case .wouldBlock:
                continue
            }
        }
        let upgradeMs = Int(((Clock.now() - started) * 1000).rounded())
        var timings = stream.timings
        timings.upgradeMs = upgradeMs
        let head = parsed.head
        let statusLine = "\(head.version) \(head.status) \(head.reason)"

        guard head.status == 101 else {
            let body = readBody(stream, head: head, already: parsed.remainder, buffer: &buffer)
            return .rejected(
                RejectionReport(
                    url: plan.url.description,
                    status: head.status,
                    statusLine: statusLine,
                    headers: head.headers,
                    body: body,
                    wwwAuthenticate: head.value("WWW-Authenticate")
                )
            )
        }
        let negotiated: NegotiatedHandshake
        do {
            negotiated = try request.validate(head)
        } catch {
            // RFC 6455 §4.1: the client must _Fail the WebSocket Connection_; no close frame.
            throw Failure(.handshake, "handshake failed: \(error)", cause: .badAnswer)
        }
        let report = HandshakeReport(
            url: plan.url.description,
            status: head.status,
            requestLine: request.requestLine,
            requestHeaders: request.headers.map { HTTPHeader(name: $0.name, value: $0.value) },
            statusLine: statusLine,
            responseHeaders: head.headers,
            subprotocol: negotiated.subprotocol,
            extensions: negotiated.extensions,
            timings: timings,
            serverSkewMs: skewMs(dateHeader: head.value("Date")),
            tokenPlacement: tokenPlacement
        )
        let connection = WebSocketConnection(
            role: .client,
            maxMessageSize: maxMessageSize,
            deflate: negotiated.deflate
        )
        return .open(OpenSocket(stream: stream, connection: connection, report: report, pendingInput: parsed.remainder))
    }

    /// The server's clock against ours, from the `Date` header of any answer (whole
    /// seconds): the one reading of it, for a 101 and for a refusal alike.
    static func skewMs(dateHeader: String?) -> Int? {
        guard let text = dateHeader, let serverDate = Timestamp.parseHTTPDate(text) else { return nil }
        let now = Timestamp.now.timeIntervalSince1970
        // The header has whole seconds: compare against our clock truncated the same way.
        return Int((serverDate.timeIntervalSince1970 - now.rounded(.down)) * 1000)
    }

    static func readSome(
        _ stream: CurlStream,
        into buffer: inout [UInt8],
        deadline: Deadline,
        waitingFor what: String
    ) throws(Failure) -> CurlStream.ReadResult {
        while true {
            let result = try stream.read(into: &buffer)
            if result != .wouldBlock { return result }
            guard try Poller.wait(fd: stream.socket, events: Int16(POLLIN), deadline: deadline) else {
                throw Failure(.timeout, "timed out waiting for \(what) from \(stream.url)")
            }
        }
    }

    /// A rejection's body: Content-Length bytes, or until the server closes,
    /// bounded in size and in time (a server that keeps the socket open must not hang us).
    static func readBody(
        _ stream: CurlStream,
        head: HTTPResponseHead,
        already: [UInt8],
        buffer: inout [UInt8]
    ) -> String {
        var body = already
        let expected = head.value("Content-Length").flatMap { Int($0.trimmingSpaces()) }
        let deadline = Deadline.after(seconds: 2)
        while body.count < min(expected ?? maxRejectionBody, maxRejectionBody) {
            guard let result = try? readSome(stream, into: &buffer, deadline: deadline, waitingFor: "the body"),
                case .data(let count) = result
            else { break }
            body.append(contentsOf: buffer[0..<count])
        }
        if body.count > maxRejectionBody { body = Array(body[0..<maxRejectionBody]) }
        return String(decoding: body, as: UTF8.self)
    }
}
