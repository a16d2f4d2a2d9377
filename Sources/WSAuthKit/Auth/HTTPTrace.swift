/// `-v/--verbose` for the login, refresh and revocation requests: the request
/// and response lines and headers, as notes on stderr. Bodies are left out (a
/// login body holds the password); credential headers are redacted by name
/// here, and registered secrets again by the output.
///
/// Before either, whether verbose or not, the secrets of the exchange are
/// announced (a `secrets` event): the request's own credentials before it is
/// sent, and the tokens and cookies of the answer before anything quotes them —
/// a header or an error description that echoes them.
enum HTTPTrace {
    static func request(_ request: HTTPRequest, transport: TransportOptions, emit: (Event) -> Void) {
        emit(Event(.secrets(URLUserinfo.secrets(in: request.url) + transport.secrets)))
        let parts = URLParts(request.url)
        if let warning = CleartextWarning.message(
            url: request.url,
            secure: !request.url.lowercased().hasPrefix("http://"),
            host: parts.host
        ) {
            emit(Event(.note(warning)))
        }
        guard transport.verbose else { return }
        let redactor = Redactor(showSecrets: false)
        var lines = ["> \(request.method) \(request.url)"]
        for header in request.headers {
            lines.append("> \(header.name): \(redactor.headerValue(name: header.name, value: header.value))")
        }
        if let body = request.body { lines.append("> (\(body.count) bytes of body)") }
        emit(Event(.note(lines.joined(separator: "\n"))))
    }

    static func response(_ response: HTTPResponse, transport: TransportOptions, emit: (Event) -> Void) {
        emit(Event(.secrets(answerSecrets(response))))
        guard transport.verbose else { return }
        let redactor = Redactor(showSecrets: false)
        var lines = ["< \(response.statusLine)"]
        for header in response.headers {
            lines.append("< \(header.name): \(redactor.headerValue(name: header.name, value: header.value))")
        }
        lines.append("< (\(response.body.count) bytes of body)")
        emit(Event(.note(lines.joined(separator: "\n"))))
    }

    /// The tokens an answer holds at the usual places (`TokenLocator`), and the
    /// values of the cookies it sets.
    static func answerSecrets(_ response: HTTPResponse) -> [Secret] {
        var found = response.headers("set-cookie").compactMap(SetCookie.parse).map { Secret($0.value) }
        if let json = try? JSONValue.parse(response.body),
            let tokens = try? TokenLocator.locate(in: json, paths: TokenPaths())
        {
            found += [tokens.access, tokens.refresh].compactMap { $0 }
            // OpenID Connect's ID token and RFC 8628's device code are credentials too.
            found += ["id_token", "device_code"].compactMap { json[$0]?.stringValue }.map(Secret.init)
        }
        return found
    }
}
