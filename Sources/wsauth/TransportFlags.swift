import ArgumentParser
import WSAuthKit

/// The curl-compatible transport flags (cli.md "Conventions"), shared by every
/// command that talks to a server, so that `-H`, `-k`, `-b` … mean the same everywhere.
struct TransportFlags: ParsableArguments {
    @Option(name: [.customShort("H"), .long], help: ArgumentHelp("Extra request header (repeatable).", valueName: "Name: value"))
    var header: [String] = []

    @Flag(name: [.customShort("k"), .long], help: "Do not verify the server's TLS certificate.")
    var insecure = false

    @Option(name: .long, help: ArgumentHelp("CA certificate(s) to verify the server with.", valueName: "FILE"))
    var cacert: String?

    @Option(name: .long, help: ArgumentHelp("Client certificate (PEM).", valueName: "FILE"))
    var cert: String?

    @Option(name: .long, help: ArgumentHelp("Private key of the client certificate.", valueName: "FILE"))
    var key: String?

    @Option(name: [.customShort("x"), .long], help: ArgumentHelp("Proxy to go through.", valueName: "URL"))
    var proxy: String?

    @Option(name: .long, help: ArgumentHelp("Resolve HOST:PORT to ADDR, as curl does (repeatable).", valueName: "HOST:PORT:ADDR"))
    var resolve: [String] = []

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Give up connecting after this long.", valueName: "SECONDS"))
    var connectTimeout: String?

    @Option(name: [.customShort("m"), .customLong("max-time")], help: ArgumentHelp("Give up a request after this long.", valueName: "SECONDS"))
    var maxTime: String?

    @Option(name: [.customShort("b"), .long], help: ArgumentHelp("Cookies to send: a Netscape cookie file, or NAME=VALUE.", valueName: "FILE|NAME=VALUE"))
    var cookie: String?

    @Option(name: [.customShort("c"), .customLong("cookie-jar")], help: ArgumentHelp("Write the cookies afterwards to this file (Netscape format).", valueName: "FILE"))
    var cookieJar: String?

    @Flag(name: [.customShort("v"), .long], help: "Show request and response lines and headers on stderr (redacted).")
    var verbose = false

    func options() throws(Failure) -> TransportOptions {
        var options = TransportOptions()
        options.insecure = insecure
        options.caCert = cacert
        options.clientCert = cert
        options.clientKey = key
        options.proxy = proxy
        for entry in resolve {
            // curl's form: HOST:PORT:ADDR[,ADDR…]; an address may be a bracketed IPv6.
            guard entry.split(separator: ":", maxSplits: 2).count == 3 else {
                throw Failure.usage("invalid --resolve '\(entry)': use HOST:PORT:ADDR")
            }
            options.resolve.append(entry)
        }
        options.connectTimeout = try connectTimeout.map { text throws(Failure) in try TimeSpan.parse(text) }
        options.maxTime = try maxTime.map { text throws(Failure) in try TimeSpan.parse(text) }
        for argument in header {
            options.headers.append(try TransportOptions.parseHeader(argument))
        }
        options.cookie = cookie
        options.cookieJar = cookieJar
        options.verbose = verbose
        return options
    }
}
