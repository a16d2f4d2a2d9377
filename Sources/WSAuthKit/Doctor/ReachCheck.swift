/// reach: DNS, TCP and TLS, read from the failure of the first handshake or the
/// timings of a successful one.
public enum ReachCheck {
    /// A handshake that never got an HTTP answer: what failed, and what would fix it.
    /// libcurl's messages (CURLE_* texts and OpenSSL's verify errors) name the cause.
    public static func diagnose(_ failure: Failure, url: WebSocketURL) -> DoctorFinding {
        let text = failure.message.lowercased()
        let host = url.host
        if failure.kind == .tls || text.contains("ssl") || text.contains("certificate") {
            return tls(text, failure: failure, host: host)
        }
        if text.contains("resolve host") {
            return .error(.reach, "DNS: \(host) does not resolve", fix: "check the host name in the URL, or pin it with `--resolve \(host):\(url.effectivePort):ADDRESS`", exit: .networkFailure)
        }
        if text.contains("connection failed") || text.contains("refused") {
            return .error(.reach, "TCP: nothing accepts connections on \(host):\(url.effectivePort) (connection refused)", fix: "start the server, or check the port in the URL (and -x/--proxy)", exit: .networkFailure)
        }
        if text.contains("upgrade answer") {
            return .error(.upgrade, "the server took the connection but never answered the upgrade", fix: url.secure ? "check that this port speaks HTTP over TLS" : "check that this port speaks HTTP (a TLS port needs wss://)", exit: .networkFailure)
        }
        if failure.kind == .timeout {
            return .error(.reach, "timed out: \(failure.message)", fix: "check that \(host):\(url.effectivePort) is reachable from here (a firewall drops the packets), or raise --connect-timeout", exit: .networkFailure)
        }
        if failure.kind == .handshake || failure.kind == .protocol {
            return .error(.upgrade, "the answer to the upgrade broke RFC 6455: \(failure.message)", fix: "the server or a proxy in front of it mangles the handshake; compare with `wsauth probe -v` straight to the server", exit: .handshakeFailed)
        }
        // doctor's exit codes are 2, 3 or 4 (docs/reference/behaviour.md, `wsauth doctor`): whatever else kept the answer away is the network's.
        return .error(.reach, failure.message, fix: nil, exit: .networkFailure)
    }

    /// TLS: the three ways a certificate fails verification (RFC 5280 §6, RFC 6125 §6).
    static func tls(_ text: String, failure: Failure, host: String) -> DoctorFinding {
        if text.contains("expired") {
            return .error(.reach, "TLS: the server's certificate has expired", fix: "renew the certificate on the server (`-k` only to look past it while testing)", exit: .networkFailure)
        }
        if text.contains("not yet valid") {
            return .error(.reach, "TLS: the server's certificate is not valid yet (a clock is wrong, ours or the CA's)", fix: "check the date on both machines", exit: .networkFailure)
        }
        if text.contains("subject name") || text.contains("does not match") || text.contains("hostname mismatch") {
            return .error(.reach, "TLS: the certificate is not for \(host)", fix: "connect to a host name the certificate names (see `openssl s_client -connect HOST:PORT`), or reissue it with \(host) in subjectAltName", exit: .networkFailure)
        }
        if text.contains("self-signed") || text.contains("self signed") || text.contains("local issuer") || text.contains("unknown ca") || text.contains("unable to get") {
            return .error(.reach, "TLS: the certificate chain does not end at a CA we trust", fix: "pass the CA that issued it with `--cacert FILE` (or have the server send its intermediate certificates)", exit: .networkFailure)
        }
        return .error(.reach, "TLS: \(failure.message)", fix: "check the server's certificate and the CA with `--cacert FILE`", exit: .networkFailure)
    }

    /// reach went fine: how long DNS, TCP and TLS took.
    public static func ok(_ report: HandshakeReport?, url: WebSocketURL) -> DoctorFinding {
        var parts = ["connected to \(url.host):\(url.effectivePort)"]
        if url.secure { parts.append("TLS verified") }
        if let timings = report?.timings, let connect = timings.connectMs { parts.append("TCP \(connect) ms") }
        return .ok(.reach, parts.joined(separator: ", "))
    }
}
