import CCurl

/// One libcurl easy handle with the transport options applied, owned for its lifetime.
///
/// Everything here is a thin, typed layer over libcurl; what to request is the
/// caller's business.
final class CurlHandle {
    let raw: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    init() throws(Failure) {
        // libcurl is loaded by the first handle, so commands that open no connection
        // never load it (docs/ARCHITECTURE.md, "Lean start-up").
        try SystemLibraries.loadNetwork()
        guard let handle = wsa_easy_init() else { throw Failure(.internal, "libcurl could not create a handle") }
        raw = handle
        errorBuffer.withUnsafeMutableBufferPointer { buffer in
            _ = wsa_setopt_pointer(raw, CURLOPT_ERRORBUFFER, buffer.baseAddress)
        }
        set(CURLOPT_NOSIGNAL, 1)
    }

    deinit {
        wsa_easy_cleanup(raw)
        for list in lists { wsa_slist_free_all(list) }
    }

    func set(_ option: CURLoption, _ value: Int) {
        _ = wsa_setopt_long(raw, option, value)
    }

    func set(_ option: CURLoption, _ value: String) {
        // libcurl copies string options (CURLOPT docs: "the string is copied").
        _ = wsa_setopt_string(raw, option, value)
    }

    func set(_ option: CURLoption, list: [String]) {
        var head: UnsafeMutablePointer<curl_slist>?
        for item in list { head = wsa_slist_append(head, item) }
        if let head { lists.append(head) }
        _ = wsa_setopt_slist(raw, option, head)
    }

    /// The detail libcurl wrote for the last failure, else its generic text.
    func errorMessage(_ code: CURLcode) -> String {
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return detail.isEmpty ? String(cString: wsa_easy_strerror(code)) : detail
    }

    func infoSeconds(_ info: CURLINFO) -> Double? {
        var value: curl_off_t = 0
        guard wsa_getinfo_off_t(raw, info, &value) == CURLE_OK, value > 0 else { return nil }
        return Double(value) / 1_000_000
    }

    func infoLong(_ info: CURLINFO) -> Int {
        var value = 0
        _ = wsa_getinfo_long(raw, info, &value)
        return value
    }

    /// The cookies libcurl's engine holds, as Netscape cookie-file lines.
    func cookieLines() -> [String] {
        var list: UnsafeMutablePointer<curl_slist>?
        guard wsa_getinfo_slist(raw, CURLINFO_COOKIELIST, &list) == CURLE_OK else { return [] }
        defer { wsa_slist_free_all(list) }
        var lines: [String] = []
        var node = list
        while let current = node {
            if let data = current.pointee.data { lines.append(String(cString: data)) }
            node = current.pointee.next
        }
        return lines
    }

    /// The schemes libcurl may speak for us: a WebSocket is an http(s) upgrade,
    /// and every endpoint is http(s). Nothing a URL or a redirect says can make
    /// it open file://, ftp://, smtp:// … with our credentials.
    static let allowedProtocols = "http,https"

    /// Applies the curl-compatible flags. TLS verification stays on unless `-k`.
    func apply(_ options: TransportOptions) {
        _ = wsa_setopt_protocols(raw, CurlHandle.allowedProtocols)
        _ = wsa_setopt_redirect_protocols(raw, CurlHandle.allowedProtocols)
        set(CURLOPT_SSL_VERIFYPEER, options.insecure ? 0 : 1)
        set(CURLOPT_SSL_VERIFYHOST, options.insecure ? 0 : 2)
        if let caCert = options.caCert { set(CURLOPT_CAINFO, caCert) }
        if let cert = options.clientCert { set(CURLOPT_SSLCERT, cert) }
        if let key = options.clientKey { set(CURLOPT_SSLKEY, key) }
        if let proxy = options.proxy { set(CURLOPT_PROXY, proxy) }
        if !options.resolve.isEmpty { set(CURLOPT_RESOLVE, list: options.resolve) }
        if let timeout = options.connectTimeout { set(CURLOPT_CONNECTTIMEOUT_MS, max(1, timeout.milliseconds)) }
        // Force HTTP/1.1: with h2 in ALPN, curl would turn our raw upgrade into HTTP/2.
        set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        set(CURLOPT_USERAGENT, "wsauth/\(WSAuthVersion.string)")
    }
}

/// libcurl's result codes, in the words of the exit-code table, with a typed cause.
enum CurlFailure {
    static func failure(_ code: CURLcode, handle: CurlHandle, url: String) -> Failure {
        let detail = handle.errorMessage(code)
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return Failure(
                .timeout,
                "timed out: \(detail) (\(url)); raise --connect-timeout or -m/--max-time",
                cause: .curl(Int32(code.rawValue))
            )
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return Failure(
                .tls,
                "TLS failure: \(detail); pass --cacert FILE to trust the server's CA, or -k to skip verification",
                cause: .tls(tlsProblem(code, handle: handle))
            )
        case CURLE_COULDNT_RESOLVE_HOST:
            return Failure(
                .network,
                "could not resolve host: \(detail); check the URL or use --resolve HOST:PORT:ADDR",
                cause: .dnsFailed
            )
        case CURLE_COULDNT_RESOLVE_PROXY:
            return Failure(
                .network,
                "could not resolve proxy: \(detail); check -x/--proxy and the proxy environment variables",
                cause: .curl(Int32(code.rawValue))
            )
        case CURLE_COULDNT_CONNECT:
            return Failure(
                .network,
                "connection failed: \(detail); is the server running at \(url)?",
                cause: .connectionRefused
            )
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return Failure(.usage, "invalid URL '\(url)': \(detail)")
        case CURLE_READ_ERROR where detail.contains("certificate") || detail.contains("key"):
            return Failure(.tls, "TLS failure: \(detail)", cause: .tls(.other))
        default:
            return Failure(
                .network,
                "network failure: \(detail) (curl error \(code.rawValue))",
                cause: .curl(Int32(code.rawValue))
            )
        }
    }

    /// OpenSSL's verify result (X509_V_ERR_*) names what is wrong with the chain. curl
    /// sets it to !X509_V_OK (1) before the handshake and reads OpenSSL's only after its
    /// own host-name check passed: a verification failure still at 0 or 1 is that check.
    static func tlsProblem(_ code: CURLcode, handle: CurlHandle) -> TLSProblem {
        switch handle.infoLong(CURLINFO_SSL_VERIFYRESULT) {
        case 10: return .expired
        case 9: return .notYetValid
        case 62: return .wrongHost
        case 2, 18, 19, 20, 21: return .untrustedChain
        case 0 where code == CURLE_PEER_FAILED_VERIFICATION, 1 where code == CURLE_PEER_FAILED_VERIFICATION:
            return .wrongHost
        default: return code == CURLE_SSL_CONNECT_ERROR ? .handshake : .other
        }
    }
}
