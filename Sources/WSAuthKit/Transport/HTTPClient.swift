import CCurl

public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]?

    public init(method: String = "GET", url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var statusLine: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// The cookies libcurl's engine holds after the request (Netscape lines):
    /// those the answer set, since it starts empty.
    public var cookieLines: [String]

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// `cookieLines`, parsed.
    public var cookies: [NetscapeCookie] { cookieLines.compactMap(NetscapeCookie.parse) }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public func headers(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}

/// Plain HTTP requests (login, refresh, logout, discovery) through `curl_easy_perform`.
///
/// Bounded, because these run while the profile's lock is held and their answers
/// are read whole: a hostile or broken endpoint can neither hold the lock (a
/// total timeout, `-m` or 30 s) nor exhaust memory (an answer over 1 MiB is
/// refused while it arrives).
public struct HTTPClient: Sendable {
    public var options: TransportOptions
    /// The largest answer (headers and body) read; no token endpoint needs more.
    public static let responseLimit = 1 << 20
    /// The total time allowed a request when `-m/--max-time` is not given.
    public static let defaultTimeout = TimeSpan(seconds: 30)

    public init(options: TransportOptions) {
        self.options = options
    }

    /// `-m`, else the default: no endpoint call goes unbounded.
    public var totalTimeout: TimeSpan { options.maxTime ?? HTTPClient.defaultTimeout }

    /// Sends `request` as it is: what credentials ride on it was decided before
    /// (`RequestCredentials`, in `exchange`).
    public func perform(_ request: HTTPRequest) throws(Failure) -> HTTPResponse {
        let handle = try CurlHandle()
        handle.apply(options)
        handle.set(CURLOPT_URL, request.url)
        handle.set(CURLOPT_CUSTOMREQUEST, request.method)
        handle.set(CURLOPT_TIMEOUT_MS, max(1, totalTimeout.milliseconds))
        // The cookie engine starts empty, so that what it holds afterwards is what
        // the answer set (Set-Cookie): `-b` cookies are sent, never stored.
        handle.set(CURLOPT_COOKIEFILE, "")
        if let jar = options.cookieJar {
            // libcurl creates a missing jar with the umask's mode, and keeps an existing one's mode.
            try FileIO.createPrivateFile(jar)
            handle.set(CURLOPT_COOKIEJAR, jar)
        }

        var headerLines = request.headers.map { "\($0.name): \($0.value)" }
        // curl sends "Expect: 100-continue" for larger bodies; login endpoints rarely want it.
        headerLines.append("Expect:")
        handle.set(CURLOPT_HTTPHEADER, list: headerLines)

        let sink = ResponseSink()
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        _ = wsa_setopt_write_function(handle.raw, CURLOPT_WRITEFUNCTION, ResponseSink.writeBody)
        _ = wsa_setopt_pointer(handle.raw, CURLOPT_WRITEDATA, sinkPointer)
        _ = wsa_setopt_write_function(handle.raw, CURLOPT_HEADERFUNCTION, ResponseSink.writeHeader)
        _ = wsa_setopt_pointer(handle.raw, CURLOPT_HEADERDATA, sinkPointer)

        if let body = request.body {
            // COPYPOSTFIELDS: libcurl keeps its own copy, so no pointer of ours must outlive this call.
            handle.set(CURLOPT_POSTFIELDSIZE, body.count)
            if body.isEmpty {
                handle.set(CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { bytes in
                    _ = wsa_setopt_pointer(
                        handle.raw,
                        CURLOPT_COPYPOSTFIELDS,
                        UnsafeMutableRawPointer(mutating: bytes.baseAddress)
                    )
                }
            }
        }
        let code = withExtendedLifetime(sink) { wsa_easy_perform(handle.raw) }
        if code == CURLE_WRITE_ERROR, sink.overLimit {
            throw Failure(
                .protocol,
                "the answer from \(request.url) is larger than 1 MiB; refused it (nothing was stored)"
            )
        }
        guard code == CURLE_OK else {
            throw CurlFailure.failure(code, handle: handle, url: request.url)
        }
        return HTTPResponse(
            status: handle.infoLong(CURLINFO_RESPONSE_CODE),
            statusLine: sink.statusLine,
            headers: sink.headers,
            body: sink.body,
            cookieLines: handle.cookieLines()
        )
    }
}

extension HTTPClient {
    /// The flows build their headers from constants and from what the store or an
    /// endpoint gave (a stored token and its type, a client id): a line break there
    /// came from a server. `-H` values were checked when parsed; `-b` cookies are
    /// the user's, and stored cookie lines were set by a server.
    func checkHeaderValues(_ request: HTTPRequest, given: RequestCredentials) throws(Failure) {
        for header in request.headers {
            try HeaderSafety.check(header.value, source: .server("the \(header.name) header"))
        }
        for cookie in given.givenCookies {
            try HeaderSafety.check(cookie.value, source: .user("the cookie \(cookie.name) of -b"))
        }
        for cookie in given.storedCookies {
            try HeaderSafety.check(cookie.line, source: .server("the stored cookie \(cookie.name)"))
        }
    }
}

/// Collects what libcurl's callbacks hand over. Only the last response's
/// headers are kept (a redirect or a 100-continue starts a new block).
private final class ResponseSink {
    var statusLine = ""
    var headers: [HTTPHeader] = []
    var body: [UInt8] = []
    /// Bytes received so far, headers included.
    var received = 0
    var overLimit = false

    /// Counts `length` more bytes; false (libcurl then aborts with CURLE_WRITE_ERROR)
    /// once the answer passes the limit.
    func accept(_ length: Int) -> Bool {
        received += length
        overLimit = received > HTTPClient.responseLimit
        return !overLimit
    }

    static let writeBody: wsa_write_callback = { data, size, count, user in
        let sink = Unmanaged<ResponseSink>.fromOpaque(user!).takeUnretainedValue()
        let length = size * count
        guard sink.accept(length) else { return 0 }
        if let data { sink.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length)) }
        return length
    }

    static let writeHeader: wsa_write_callback = { data, size, count, user in
        let sink = Unmanaged<ResponseSink>.fromOpaque(user!).takeUnretainedValue()
        let length = size * count
        guard sink.accept(length) else { return 0 }
        guard let data else { return length }
        var line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        // "\r\n" is a single Character in Swift: hasSuffix("\n") is false for it.
        while let last = line.last, last.isNewline { line.removeLast() }
        if line.hasPrefix("HTTP/") {
            sink.statusLine = line
            sink.headers = []
        } else if let colon = line.firstIndex(of: ":") {
            sink.headers.append(
                HTTPHeader(
                    name: String(line[..<colon]),
                    value: String(line[line.index(after: colon)...].trimmingSpaces())
                )
            )
        }
        return length
    }
}
