/// reach: DNS, TCP and TLS, read from the failure of the first handshake or the
/// timings of a successful one.
public enum ReachCheck {
    /// A handshake that never got an HTTP answer: what failed, and what would fix it,
    /// read from the failure's cause (never from its message).
    public static func diagnose(_ failure: Failure, url: WebSocketURL) -> DoctorFinding {
        var finding = finding(failure, url: url)
        finding.cause = failure.cause
        return finding
    }

    static func finding(_ failure: Failure, url: WebSocketURL) -> DoctorFinding {
        let host = url.host
        let place = "\(host):\(url.effectivePort)"
        switch failure.cause {
        case .schemeMismatch(let use):
            return .error(.reach, SchemeProbe.detail(url), fix: "use \(use)", exit: .networkFailure)
        case .dnsFailed:
            return .error(
                .reach,
                "DNS: \(host) does not resolve",
                fix: "check the host name in the URL, or pin it with `--resolve \(place):ADDRESS`",
                exit: .networkFailure
            )
        case .connectionRefused:
            return .error(
                .reach,
                "TCP: nothing accepts connections on \(place) (connection refused)",
                fix: "start the server, or check the port in the URL (and -x/--proxy)",
                exit: .networkFailure
            )
        case .tls(let problem):
            return tls(problem, failure: failure, host: host)
        case .noAnswer(.connect):
            return .error(
                .reach,
                "TCP: \(place) did not answer the connect in time",
                fix: "check that \(place) is reachable from here (a firewall may drop the packets)",
                exit: .timeout
            )
        case .noAnswer(.tlsHello):
            return .error(
                .reach,
                "TLS: \(place) took the TCP connection but answered neither the TLS hello nor a plain upgrade",
                fix: "check that a server listens on this port and that no proxy in between swallows the traffic",
                exit: .timeout
            )
        case .noAnswer(.upgradeAnswer):
            return .error(
                .upgrade,
                "\(place) took the connection but answered neither the upgrade nor a TLS hello",
                fix: "check that a WebSocket server listens on this port (and not something that only reads)",
                exit: .timeout
            )
        case .closedWithoutAnswer:
            return .error(
                .upgrade,
                "the server took the connection and closed it without answering the upgrade",
                fix: "check that this port speaks HTTP, and the server's log for why it hung up",
                exit: .networkFailure
            )
        case .notHTTP, .badAnswer:
            return .error(
                .upgrade,
                "the answer to the upgrade broke RFC 6455: \(failure.message)",
                fix:
                    "the server or a proxy in front of it mangles the handshake; compare with `wsauth probe -v` straight to the server",
                exit: .handshakeFailed
            )
        case .handshakeRefused, .appRefused, .curl, .unspecified:
            // doctor's exit codes are 2, 3, 4 or 5 (docs/doctor.md): whatever else kept the answer away is the network's.
            return .error(
                .reach,
                failure.message,
                fix: nil,
                exit: failure.kind == .timeout ? .timeout : .networkFailure
            )
        }
    }

    /// TLS: the three ways a certificate fails verification (RFC 5280 §6, RFC 6125 §6).
    static func tls(_ problem: TLSProblem, failure: Failure, host: String) -> DoctorFinding {
        switch problem {
        case .expired:
            return .error(
                .reach,
                "TLS: the server's certificate has expired",
                fix: "renew the certificate on the server (`-k` only to look past it while testing)",
                exit: .networkFailure
            )
        case .notYetValid:
            return .error(
                .reach,
                "TLS: the server's certificate is not valid yet (a clock is wrong, ours or the CA's)",
                fix: "check the date on both machines",
                exit: .networkFailure
            )
        case .wrongHost:
            return .error(
                .reach,
                "TLS: the certificate is not for \(host)",
                fix:
                    "connect to a host name the certificate names (see `openssl s_client -connect HOST:PORT`), or reissue it with \(host) in subjectAltName",
                exit: .networkFailure
            )
        case .untrustedChain:
            return .error(
                .reach,
                "TLS: the certificate chain does not end at a CA we trust",
                fix:
                    "pass the CA that issued it with `--cacert FILE` (or have the server send its intermediate certificates)",
                exit: .networkFailure
            )
        case .handshake, .other:
            return .error(
                .reach,
                "TLS: \(failure.message)",
                fix: "check the server's certificate and the CA with `--cacert FILE`",
                exit: .networkFailure
            )
        }
    }

    /// reach went fine: how long DNS, TCP and TLS took.
    public static func ok(_ report: HandshakeReport?, url: WebSocketURL) -> DoctorFinding {
        var parts = ["connected to \(url.host):\(url.effectivePort)"]
        if url.secure { parts.append("TLS verified") }
        if let timings = report?.timings, let connect = timings.connectMs { parts.append("TCP \(connect) ms") }
        return .ok(.reach, parts.joined(separator: ", "))
    }
}
