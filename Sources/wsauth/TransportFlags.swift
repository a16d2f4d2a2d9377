import ArgumentParser
import WSAuthKit

/// The curl-compatible transport flags every networked command takes (docs/reference/behaviour.md "Conventions").
struct TransportFlags: ParsableArguments {
    @Option(
        name: [.customShort("H"), .long],
        help: ArgumentHelp("Extra request header (repeatable).", valueName: "Name: value")
    )
    var header: [String] = []

    @Flag(name: [.customShort("k"), .long], help: "Do not verify the server's TLS certificate.")
    var insecure = false

    @Option(help: ArgumentHelp("CA certificate(s) to trust (PEM).", valueName: "FILE"))
    var cacert: String?

    @Option(help: ArgumentHelp("Client certificate (PEM).", valueName: "FILE"))
    var cert: String?

    @Option(help: ArgumentHelp("Private key of the client certificate (PEM).", valueName: "FILE"))
    var key: String?

    @Option(
        name: [.customShort("x"), .long],
        help: ArgumentHelp("Proxy URL (CONNECT tunnel); the proxy environment variables also apply.", valueName: "URL")
    )
    var proxy: String?

    @Option(help: ArgumentHelp("Resolve HOST:PORT to ADDR, as curl (repeatable).", valueName: "HOST:PORT:ADDR"))
    var resolve: [String] = []

    @Option(
        name: .customLong("connect-timeout"),
        help: ArgumentHelp("Time allowed for the connection (DURATION; bare number = seconds).", valueName: "SECONDS"),
        transform: TimeSpan.read
    )
    var connectTimeout: TimeSpan?

    @Option(
        name: [.customShort("m"), .customLong("max-time")],
        help: ArgumentHelp("Time allowed for the whole command.", valueName: "SECONDS"),
        transform: TimeSpan.read
    )
    var maxTime: TimeSpan?

    @Option(
        name: [.customShort("b"), .long],
        help: ArgumentHelp("Cookies to send: a Netscape cookie file, or NAME=VALUE.", valueName: "FILE|NAME=VALUE")
    )
    var cookie: String?

    @Option(
        name: [.customShort("c"), .customLong("cookie-jar")],
        help: ArgumentHelp("Write cookies to this file afterwards (Netscape format).", valueName: "FILE")
    )
    var cookieJar: String?

    @Flag(
        name: [.customShort("v"), .long],
        help: "Show request and response lines and headers on stderr (secrets redacted)."
    )
    var verbose = false

    func options() throws(Failure) -> TransportOptions {
        var options = TransportOptions()
        options.insecure = insecure
        options.caCert = cacert
        options.clientCert = cert
        options.clientKey = key
        options.proxy = proxy
        for entry in resolve {
            guard entry.split(separator: ":", omittingEmptySubsequences: false).count >= 3 else {
                throw Failure.usage("invalid --resolve '\(entry)': use HOST:PORT:ADDR")
            }
        }
        options.resolve = resolve
        options.connectTimeout = connectTimeout
        options.maxTime = maxTime
        options.headers = try header.map { (text) throws(Failure) in try TransportOptions.parseHeader(text) }
        options.cookie = cookie
        options.cookieJar = cookieJar
        options.verbose = verbose
        return options
    }
}

/// `--json` and `--show-secrets`, shared by every command that prints.
struct OutputFlags: ParsableArguments {
    @Flag(help: "Machine-readable output: one JSON event per line on stdout.")
    var json = false

    @Flag(name: .customLong("show-secrets"), help: "Show tokens, passwords, cookies and session IDs in full.")
    var showSecrets = false
}
