/// One WebSocket connection after the handshake, without I/O: feed it received bytes and
/// get events; tell it what to send and take the bytes to write (RFC 6455 §5–§7).
///
/// It reassembles fragmented messages, checks text as it arrives, answers pings and
/// echoes the peer's close, and fails the connection on any violation (RFC 6455 §7.1.7).
/// With permessage-deflate negotiated it compresses what it sends and inflates what it
/// receives (RFC 7692), within the same message size limit.
public struct WebSocketConnection: Sendable {
    public enum State: Equatable, Sendable {
        case open
        /// We sent a close and wait for the peer's (RFC 6455 §7.1.2).
        case closeSent
        /// Both closes are exchanged, or the peer's close was answered: nothing more is
        /// read or sent; the transport closes TCP (RFC 6455 §7.1.1).
        case closed
    }

    public let role: Role
    /// The largest reassembled message accepted, after inflating; larger ones fail with 1009.
    public let maxMessageSize: Int
    /// permessage-deflate as the handshake negotiated it (RFC 7692 §7.1); nil when not.
    public let deflate: DeflateParameters?
    public private(set) var state: State = .open
    /// The code of the close frame we sent, for reporting; nil before, or when it had none.
    public private(set) var sentCloseCode: CloseCode?
    /// Who sent the first close frame, once one has been sent or received.
    public private(set) var closeInitiator: Initiator?
    /// The violation that failed the connection, if the peer broke the protocol.
    public private(set) var failure: ProtocolViolation?

    private var decoder: FrameDecoder
    /// True when the violation came from the framing itself: the rest of the stream cannot
    /// be parsed, so nothing more is read (the transport should drop TCP after writing our
    /// close; RFC 6455 §7.1.7).
    private var framingBroken = false
    private var message: PartialMessage?
    private var outbound: [UInt8] = []
    /// Nil without permessage-deflate, or when our window may only be 8 bits.
    private var deflater: MessageDeflater?
    /// Non-nil exactly when permessage-deflate is negotiated.
    private var inflater: MessageInflater?

    /// A data message whose final fragment has not arrived yet (RFC 6455 §5.4).
    private struct PartialMessage {
        var opcode: Opcode
        var payload: [UInt8]
        var validator: UTF8Validator
        /// RSV1 was set on its first frame (RFC 7692 §6): the payload is DEFLATE data.
        var compressed: Bool
    }

    public init(role: Role = .client, maxMessageSize: Int = 64 << 20, deflate: DeflateParameters? = nil) {
        self.role = role
        self.maxMessageSize = maxMessageSize
        self.deflate = deflate
        self.decoder = FrameDecoder(role: role, maxFrameSize: maxMessageSize, allowRSV1: deflate != nil)
        guard let deflate else { return }
        // Each side compresses with its own parameters and inflates with the peer's.
        switch role {
        case .client:
            deflater = MessageDeflater(
                windowBits: deflate.clientMaxWindowBits ?? 15,
                noContextTakeover: deflate.clientNoContextTakeover
            )
            inflater = MessageInflater(noContextTakeover: deflate.serverNoContextTakeover)
        case .server:
            deflater = MessageDeflater(
                windowBits: deflate.serverMaxWindowBits ?? 15,
                noContextTakeover: deflate.serverNoContextTakeover
            )
            inflater = MessageInflater(noContextTakeover: deflate.clientNoContextTakeover)
        }
    }

    // MARK: Receiving

    public mutating func receive(_ bytes: UnsafeRawBufferPointer) -> [ConnectionEvent] {
        var events: [ConnectionEvent] = []
        receive(bytes, into: &events)
        return events
    }

    /// `receive` into the caller's array, which can keep its capacity from read to read:
    /// a firehose then allocates no array per read, and its events are destroyed by
    /// code specialized for them rather than by the array's generic deinit.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, into events: inout [ConnectionEvent]) {
        guard state != .closed, !framingBroken else { return }
        decoder.append(bytes)
        drainFrames(&events)
    }

    public mutating func receive(_ bytes: [UInt8]) -> [ConnectionEvent] {
        bytes.withUnsafeBytes { receive($0) }
    }

    /// How many bytes a large frame under way still waits for; 0 when none does, or when
    /// nothing more is read. The transport may read them with `receiveLargePayload`.
    public var largePayloadRemaining: Int {
        state == .closed || framingBroken ? 0 : decoder.largePayloadRemaining
    }

    /// `receive` for the bytes of a large frame under way, which `read` writes straight
    /// into the frame's own buffer (at most `largePayloadRemaining` of them) and counts:
    /// a 64 MiB message is not copied from a read buffer (issue 23). Returns the count.
    public mutating func receiveLargePayload(
        into events: inout [ConnectionEvent],
        reading read: (UnsafeMutableRawBufferPointer) -> Int
    ) -> Int {
        guard largePayloadRemaining > 0 else { return 0 }
        let count = decoder.receiveLargePayload(read)
        if decoder.largePayloadRemaining == 0 { drainFrames(&events) }
        return count
    }

    private mutating func drainFrames(_ events: inout [ConnectionEvent]) {
        while state != .closed {
            // A fragment may only use what the message has left of the limit.
            let sizeSoFar = message?.payload.count ?? 0
            let remaining = maxMessageSize - sizeSoFar
            decoder.maxFrameSize = inflater == nil ? remaining : Self.compressedBound(remaining)
            let frame: Frame
            // Read before the decoder is borrowed: the lending closure may not touch `self`.
            let wholeTextLimit = message == nil && failure == nil ? maxMessageSize : -1
            do {
                guard let next = try decoder.next(lending: { Self.wholeText($0, $1, limit: wholeTextLimit) }) else {
                    break
                }
                switch next {
                case .frame(let taken):
                    frame = taken
                case .made(let text):
                    guard let text else {
                        fail(.invalidUTF8InText, &events)
                        continue
                    }
                    events.append(.text(text))
                    continue
                }
            } catch let violation {
                framingBroken = true
                if case let .messageTooBig(size, _) = violation {
                    fail(.messageTooBig(size: UInt64(sizeSoFar) + size, limit: maxMessageSize), &events)
                } else {
                    fail(violation, &events)
                }
                break
            }
            handle(frame, &events)
        }
    }

    /// A text message in one uncompressed frame, made into its String straight from the
    /// decoder's buffer, validated on the way (RFC 6455 §8.1): the steady state of a
    /// firehose, with no array per message (issue 23). Nil, so that the frame goes the
    /// general way, when it is anything else or when a message is under way or the
    /// connection failed (`limit` is then negative); `.some(nil)` when it is not UTF-8.
    private static func wholeText(_ header: Frame, _ payload: UnsafeRawBufferPointer, limit: Int) -> String?? {
        guard header.opcode == .text, header.fin, !header.rsv1, payload.count <= limit else { return nil }
        let bytes = payload.assumingMemoryBound(to: UInt8.self)
        // Our validator, not `String(validating:)`: that one is not specialized and cost
        // more than the rest of the message's way to stdout.
        var validator = UTF8Validator()
        guard validator.feed(bytes), validator.isAtBoundary else { return .some(nil) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// How long a compressed frame may be for what it may inflate to: stored blocks add
    /// 5 bytes per 64 KiB and other encoders a little more, so this is generous. The
    /// message limit itself is enforced on the inflated bytes.
    private static func compressedBound(_ size: Int) -> Int {
        let (bound, overflow) = size.addingReportingOverflow(size / 16 + 64)
        return overflow ? .max : bound
    }

    private mutating func handle(_ frame: Frame, _ events: inout [ConnectionEvent]) {
        // RSV1 says "this message is compressed", so only a message's first frame may
        // carry it (RFC 7692 §6); the decoder lets it through only when negotiated.
        if frame.rsv1, frame.opcode.isControl || frame.opcode == .continuation {
            fail(.misplacedCompressionBit(frame.opcode), &events)
            return
        }
        if frame.opcode == .close {
            handleClose(frame.payload, &events)
            return
        }
        // After a violation only the peer's close matters (RFC 6455 §7.1.7).
        guard failure == nil else { return }
        switch frame.opcode {
        case .ping:
            events.append(.ping(frame.payload))
            // RFC 6455 §5.5.2: answer with the same payload, unless we are closing.
            if state == .open { queue(Frame(opcode: .pong, payload: frame.payload)) }
        case .pong:
            events.append(.pong(frame.payload))
        case .text, .binary:
            guard message == nil else {
                fail(.dataFrameInsideFragmentedMessage(frame.opcode), &events)
                return
            }
            message = PartialMessage(
                opcode: frame.opcode,
                payload: [],
                validator: UTF8Validator(),
                compressed: frame.rsv1
            )
            continueMessage(with: frame, &events)
        case .continuation:
            guard message != nil else {
                fail(.continuationWithoutStart, &events)
                return
            }
            continueMessage(with: frame, &events)
        case .close:
            break
        }
    }

    private mutating func continueMessage(with frame: Frame, _ events: inout [ConnectionEvent]) {
        guard var current = message else { return }
        message = nil  // so that appending does not copy the buffered payload
        let start = current.payload.count
        if current.compressed {
            do {
                try inflater?.inflate(frame.payload, into: &current.payload, limit: maxMessageSize)
                if frame.fin { try inflater?.finishMessage(into: &current.payload, limit: maxMessageSize) }
            } catch {
                switch error {
                case let .outputLimitExceeded(size):
                    fail(.messageTooBig(size: UInt64(size), limit: maxMessageSize), &events)
                case let .invalidData(detail):
                    fail(.invalidCompressedData(detail), &events)
                }
                return
            }
        } else {
            // The decoder bounds uncompressed frames by the limit, except when it allows
            // for compression overhead.
            guard frame.payload.count <= maxMessageSize - start else {
                fail(.messageTooBig(size: UInt64(start + frame.payload.count), limit: maxMessageSize), &events)
                return
            }
            if current.payload.isEmpty {
                current.payload = frame.payload
            } else {
                current.payload.append(contentsOf: frame.payload)
            }
        }
        if current.opcode == .text {
            guard current.validator.feed(current.payload[start...]), !frame.fin || current.validator.isAtBoundary
            else {
                fail(.invalidUTF8InText, &events)
                return
            }
        }
        guard frame.fin else {
            message = current
            return
        }
        if current.opcode == .text {
            events.append(.text(String(decoding: current.payload, as: UTF8.self)))
        } else {
            events.append(.binary(current.payload))
        }
    }

    private mutating func handleClose(_ payload: [UInt8], _ events: inout [ConnectionEvent]) {
        message = nil
        let close: ClosePayload
        do {
            close = try ClosePayload(parsing: payload)
        } catch {
            // The peer has closed from its side already, so there is no close to wait for.
            fail(error, &events)
            state = .closed
            return
        }
        events.append(.closeReceived(code: close.code, reason: close.reason))
        if state == .open {
            closeInitiator = peerInitiator
            // RFC 6455 §5.5.1: echo the status code received, or send none when none came.
            queueClose(ClosePayload(code: close.code, reason: ""))
        }
        state = .closed
    }

    /// Fails the connection (RFC 6455 §7.1.7): report, and close with the violation's
    /// code unless a close has already gone out.
    private mutating func fail(_ violation: ProtocolViolation, _ events: inout [ConnectionEvent]) {
        message = nil
        events.append(.protocolViolation(violation))
        guard failure == nil else { return }
        failure = violation
        if state == .open {
            closeInitiator = ownInitiator
            queueClose(ClosePayload(code: violation.closeCode, reason: ""))
            state = .closeSent
        }
    }

    // MARK: Sending

    /// Queues a text message as one frame, compressed when permessage-deflate is on; false
    /// (and nothing queued) once a close was sent.
    @discardableResult
    public mutating func sendText(_ text: String) -> Bool {
        sendData(.text, Array(text.utf8))
    }

    /// Queues a binary message as one frame, compressed when permessage-deflate is on;
    /// false (and nothing queued) once a close was sent.
    @discardableResult
    public mutating func sendBinary(_ data: [UInt8]) -> Bool {
        sendData(.binary, data)
    }

    /// Queues a ping; false, with nothing queued, once a close was sent or when `data` is
    /// longer than a control frame allows (125 bytes): a cut ping would not match its pong.
    @discardableResult
    public mutating func sendPing(_ data: [UInt8] = []) -> Bool {
        sendControl(Frame(opcode: .ping, payload: data))
    }

    /// Queues a pong (an unsolicited one is a heartbeat, RFC 6455 §5.5.3); false, with
    /// nothing queued, once a close was sent or when `data` is longer than 125 bytes.
    @discardableResult
    public mutating func sendPong(_ data: [UInt8]) -> Bool {
        sendControl(Frame(opcode: .pong, payload: data))
    }

    /// Starts the closing handshake (RFC 6455 §7.1.2). A nil code sends an empty close and
    /// drops the reason (a reason needs a code, §5.5.1); a reason over 123 UTF-8 bytes is
    /// cut at the last whole character, since closing must not fail. The code is not
    /// checked against `isSendable`: probing how a server takes an invalid code is a
    /// legitimate use. False, with nothing queued, when a close was already sent.
    @discardableResult
    public mutating func close(code: CloseCode?, reason: String = "") -> Bool {
        guard state == .open else { return false }
        closeInitiator = ownInitiator
        queueClose(ClosePayload(code: code, reason: reason))
        state = .closeSent
        return true
    }

    /// The bytes the transport must write now; the queue is empty afterwards.
    public mutating func takeOutbound() -> [UInt8] {
        defer { outbound = [] }
        return outbound
    }

    public var hasOutbound: Bool { !outbound.isEmpty }

    private mutating func sendData(_ opcode: Opcode, _ payload: [UInt8]) -> Bool {
        guard state == .open else { return false }
        if let compressed = deflater?.compress(payload) {
            // RSV1 on the (only) frame marks the message compressed (RFC 7692 §6).
            queue(Frame(rsv1: true, opcode: opcode, payload: compressed))
        } else {
            queue(Frame(opcode: opcode, payload: payload))
        }
        return true
    }

    private mutating func sendControl(_ frame: Frame) -> Bool {
        guard state == .open, frame.payload.count <= Frame.maxControlPayload else { return false }
        queue(frame)
        return true
    }

    private mutating func queueClose(_ close: ClosePayload) {
        sentCloseCode = close.code
        queue(Frame(opcode: .close, payload: close.encoded))
    }

    /// A client masks every frame with a fresh key from a CSPRNG, so that a hostile page
    /// cannot choose the bytes a proxy sees (RFC 6455 §5.3, §10.3).
    private mutating func queue(_ frame: Frame) {
        let key: [UInt8]?
        switch role {
        case .client:
            var generator = SystemRandomNumberGenerator()
            let word: UInt32 = generator.next()
            key = withUnsafeBytes(of: word) { Array($0) }
        case .server:
            key = nil
        }
        FrameEncoder.encode(frame, maskingKey: key, into: &outbound)
    }

    private var ownInitiator: Initiator { role == .client ? .client : .server }
    private var peerInitiator: Initiator { role == .client ? .server : .client }
}
