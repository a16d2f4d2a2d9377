/// Where a value put into a request header came from: that decides whose
/// mistake a line break in it is, and so the exit code.
public enum ValueSource: Sendable, Equatable {
    /// An endpoint's answer, or the store, which holds what endpoints answered: exit 3.
    case server(String)
    /// A flag, an environment variable, a file the user named, the config: exit 64.
    case user(String)
}

/// No value can write our requests (docs/reference/behaviour.md "Conventions"): a CR or LF in a header
/// value ends the header and lets the rest be read as headers of its own (request
/// splitting; RFC 9110 §5.5 forbids them in field values), and a NUL truncates it.
public enum HeaderSafety {
    public static func check(_ value: String, source: ValueSource) throws(Failure) {
        guard let bad = value.unicodeScalars.first(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else { return }
        let character = bad == "\r" ? "CR" : bad == "\n" ? "LF" : "NUL"
        switch source {
        case .server(let what):
            throw Failure(
                .protocol,
                "refusing \(what): it holds a \(character) character, which would split a request's headers; it came from the server (log in again, or ask its owners)"
            )
        case .user(let what):
            throw Failure.usage(
                "refusing \(what): it holds a \(character) character, which would split a request's headers"
            )
        }
    }
}

/// One warning line when credentials are about to cross the network unencrypted.
public enum CleartextWarning {
    /// Nil when `url` is encrypted or stays on this machine.
    public static func message(url: String, secure: Bool, host: String) -> String? {
        guard !secure, !isLoopback(host) else { return nil }
        return
            "warning: credentials are sent in clear text to \(host) (\(url.prefix(while: { $0 != ":" }))://); anyone on the path can read them — use \(url.hasPrefix("ws") ? "wss" : "https")://"
    }

    /// The one loopback rule of wsauth: `localhost` and its subdomains (RFC 6761 §6.3),
    /// an IPv4 literal in 127.0.0.0/8 (RFC 1122 §3.2.1.3) and ::1 (RFC 4291 §2.5.3)
    /// never leave the machine. A name that merely starts with `127.`
    /// (`127.attacker.example`) is resolved by DNS like any other.
    public static func isLoopback(_ host: String) -> Bool {
        let host = CredentialScope.normalized(host)
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { octet in
                (1...3).contains(octet.count) && octet.allSatisfy { $0.isASCII && $0.isNumber } && Int(octet)! <= 255
            }
    }
}
