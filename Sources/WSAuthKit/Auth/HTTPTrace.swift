/// `-v/--verbose` for the login, refresh and revocation requests: the request
/// and response lines and headers, as notes on stderr. Bodies are left out (a
/// login body holds the password); credential headers are redacted by name
/// here, and registered secrets again by the renderer.
enum HTTPTrace {
    static func request(_ request: HTTPRequest, transport: TransportOptions, emit: (Event) -> Void) {
        let parts = URLParts(request.url)
        if let warning = CleartextWarning.message(url: request.url, secure: !request.url.lowercased().hasPrefix("http://"), host: parts.host) {
            emit(Event(.note(warning)))
        }
        guard transport.verbose else { return }
        let redactor = Redactor(showSecrets: false)
        var lines = ["> \(request.method) \(request.url)"]
        for header in request.headers + transport.headers {
            lines.append("> \(header.name): \(redactor.headerValue(name: header.name, value: header.value))")
        }
        if let body = request.body { lines.append("> (\(body.count) bytes of body)") }
        emit(Event(.note(lines.joined(separator: "\n"))))
    }

    static func response(_ response: HTTPResponse, transport: TransportOptions, emit: (Event) -> Void) {
        guard transport.verbose else { return }
        let redactor = Redactor(showSecrets: false)
        var lines = ["< \(response.statusLine)"]
        for header in response.headers {
            lines.append("< \(header.name): \(redactor.headerValue(name: header.name, value: header.value))")
        }
        lines.append("< (\(response.body.count) bytes of body)")
        emit(Event(.note(lines.joined(separator: "\n"))))
    }
}
