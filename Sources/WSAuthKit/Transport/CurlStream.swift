import CCurl

#if canImport(Glibc)
import Glibc
#endif

/// A TCP (and TLS, and proxy tunnel) connection opened by libcurl with
/// `CURLOPT_CONNECT_ONLY`, over which we speak HTTP/1.1 and RFC 6455 ourselves.
///
/// libcurl brings name resolution, happy eyeballs, TLS with the system CA store,
/// client certificates, proxies and `--resolve`; after the connect it only moves bytes.
public final class CurlStream {
    private let handle: CurlHandle
    public let url: WebSocketURL
    /// The socket, for `poll(2)`.
    public let socket: Int32
    public let timings: Timings

    public enum ReadResult: Equatable {
        case data(Int)
        /// Nothing to read now; poll the socket and try again.
        case wouldBlock
        case closed
    }

    /// Connects (TCP, then TLS for wss://) by `deadline`, or sooner by `--connect-timeout`
    /// as in curl (docs/waits.md).
    public init(url: WebSocketURL, options: TransportOptions, deadline: Deadline) throws(Failure) {
        self.url = url
        handle = try CurlHandle()
        handle.apply(options)
        handle.set(CURLOPT_URL, url.curlURL)
        handle.set(CURLOPT_CONNECT_ONLY, 1)
        // curl_easy_recv hands over at most this much per call (default 16 KiB):
        // large messages otherwise cost thousands of small reads.
        handle.set(CURLOPT_BUFFERSIZE, 256 * 1024)
        // Without the tunnel option a ws:// upgrade would be sent to the proxy itself.
        handle.set(CURLOPT_HTTPPROXYTUNNEL, 1)
        let bound = [options.connectTimeout, deadline.remaining].compactMap { $0 }.min()
        if let bound { handle.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, bound.milliseconds)) }
        let hello = TLSHelloWatch()
        if url.secure { hello.watch(handle) }
        let code = wsa_easy_perform(handle.raw)
        if url.secure { hello.stop(handle) }
        guard code == CURLE_OK else {
            if code == CURLE_OPERATION_TIMEDOUT, let bound {
                throw Failure.noAnswer(
                    hello.sent ? .tlsHello : .connect,
                    from: url,
                    within: TimeSpan(seconds: bound.seconds.rounded())
                )
            }
            throw CurlFailure.failure(code, handle: handle, url: url.description)
        }
        var fd: curl_socket_t = -1
        guard wsa_getinfo_socket(handle.raw, CURLINFO_ACTIVESOCKET, &fd) == CURLE_OK, fd >= 0 else {
            throw Failure(.internal, "libcurl connected but did not hand over its socket")
        }
        socket = fd
        // CURLINFO_*_TIME_T are cumulative microseconds from the start; report each phase.
        let dns = handle.infoSeconds(CURLINFO_NAMELOOKUP_TIME_T)
        let connect = handle.infoSeconds(CURLINFO_CONNECT_TIME_T)
        let tls = url.secure ? handle.infoSeconds(CURLINFO_APPCONNECT_TIME_T) : nil
        func ms(_ seconds: Double?) -> Int? { seconds.map { Int(($0 * 1000).rounded()) } }
        timings = Timings(
            dnsMs: ms(dns) ?? 0,
            connectMs: ms(connect.map { $0 - (dns ?? 0) }),
            tlsMs: url.secure ? ms(tls.map { $0 - (connect ?? 0) }) ?? 0 : nil
        )
    }

    /// Writes all of `bytes`, waiting for the socket to drain, until `deadline`.
    public func write(_ bytes: [UInt8], deadline: Deadline) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            var sent = 0
            let code = bytes.withUnsafeBytes { buffer in
                wsa_easy_send(handle.raw, buffer.baseAddress! + offset, buffer.count - offset, &sent)
            }
            switch code {
            case CURLE_OK:
                offset += sent
            case CURLE_AGAIN:
                guard try Poller.wait(fd: socket, events: Int16(POLLOUT), deadline: deadline) else {
                    throw Failure(.timeout, "timed out writing to \(url)")
                }
            default:
                throw Failure(.network, "connection lost while sending: \(handle.errorMessage(code))")
            }
        }
    }

    /// Reads what is available into `buffer`. Call until `.wouldBlock` before polling:
    /// OpenSSL can hold decrypted bytes that the socket no longer shows.
    public func read(into buffer: inout [UInt8]) throws(Failure) -> ReadResult {
        let result = buffer.withUnsafeMutableBytes { bytes in Result { () throws(Failure) in try read(into: bytes) } }
        return try result.get()
    }

    /// `read` into memory the caller owns: a large frame's payload is read straight into
    /// its own buffer (`FrameDecoder.receiveLargePayload`).
    public func read(into bytes: UnsafeMutableRawBufferPointer) throws(Failure) -> ReadResult {
        var received = 0
        let code = wsa_easy_recv(handle.raw, bytes.baseAddress, bytes.count, &received)
        switch code {
        case CURLE_OK: return received == 0 ? .closed : .data(received)
        case CURLE_AGAIN: return .wouldBlock
        default:
            throw Failure(.network, "connection lost: \(handle.errorMessage(code))")
        }
    }
}

/// Whether our TLS hello went out: libcurl times TCP and TLS together, and after a
/// timeout reports no connect time, so the debug callback's first TLS record out
/// (CURLINFO_SSL_DATA_OUT) tells an unanswered hello from an unanswered TCP connect.
final class TLSHelloWatch {
    private(set) var sent = false

    func watch(_ handle: CurlHandle) {
        _ = wsa_setopt_debug_function(handle.raw) { _, type, _, _, user in
            if type == CURLINFO_SSL_DATA_OUT, let user {
                Unmanaged<TLSHelloWatch>.fromOpaque(user).takeUnretainedValue().sent = true
            }
            return 0
        }
        _ = wsa_setopt_pointer(handle.raw, CURLOPT_DEBUGDATA, Unmanaged.passUnretained(self).toOpaque())
        // The callback is only called in verbose mode; it replaces curl's own stderr lines.
        handle.set(CURLOPT_VERBOSE, 1)
    }

    func stop(_ handle: CurlHandle) {
        handle.set(CURLOPT_VERBOSE, 0)
        _ = wsa_setopt_pointer(handle.raw, CURLOPT_DEBUGDATA, nil)
    }
}

/// A point in time to give up at; `.never` when no timeout applies.
public struct Deadline: Sendable, Comparable {
    /// Monotonic seconds; nil means never.
    public var instant: Double?

    public static let never = Deadline(instant: nil)

    public static func after(_ span: TimeSpan?) -> Deadline {
        span.map { Deadline(instant: Clock.now() + $0.seconds) } ?? .never
    }

    public static func after(seconds: Double) -> Deadline {
        Deadline(instant: Clock.now() + seconds)
    }

    /// Milliseconds left for poll(2): -1 for never, 0 when passed.
    public var pollTimeout: Int32 {
        guard let instant else { return -1 }
        return Int32(clamping: max(0, Int(((instant - Clock.now()) * 1000).rounded(.up))))
    }

    /// What is left of it (zero once passed); nil for never.
    public var remaining: TimeSpan? {
        instant.map { TimeSpan(seconds: max(0, $0 - Clock.now())) }
    }

    public var hasPassed: Bool {
        instant.map { Clock.now() >= $0 } ?? false
    }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool {
        switch (lhs.instant, rhs.instant) {
        case let (l?, r?): l < r
        case (_?, nil): true
        default: false
        }
    }

    public static func earliest(_ deadlines: Deadline...) -> Deadline {
        deadlines.min() ?? .never
    }
}

/// The monotonic clock, in seconds.
public enum Clock {
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// Thin `poll(2)` helpers; EINTR is retried.
public enum Poller {
    /// Waits for `events` on one descriptor; false when the deadline passed first.
    public static func wait(fd: Int32, events: Int16, deadline: Deadline) throws(Failure) -> Bool {
        var entries = [pollfd(fd: fd, events: events, revents: 0)]
        return try poll(&entries, deadline: deadline) > 0
    }

    @discardableResult
    public static func poll(_ entries: inout [pollfd], deadline: Deadline) throws(Failure) -> Int {
        while true {
            let result = entries.withUnsafeMutableBufferPointer { buffer in
                Glibc.poll(buffer.baseAddress, nfds_t(buffer.count), deadline.pollTimeout)
            }
            if result >= 0 { return Int(result) }
            if errno == EINTR { continue }
            throw Failure(.internal, "poll failed: errno \(errno)")
        }
    }
}
