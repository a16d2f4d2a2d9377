/// What a login, refresh or revocation endpoint answered, judged by the exit-code
/// table of docs/reference/exit-codes.md: 400/401/403 reject the credentials (2); any other non-success
/// means the answer could not be used (3).
enum EndpointAnswer {
    /// The server's own words for a rejection: RFC 6749 §5.2 `error` and
    /// `error_description`, or a `message`/`detail`, else the start of the body.
    static func serverReason(_ response: HTTPResponse) -> String {
        if let json = try? JSONValue.parse(response.body) {
            let code = json["error"]?.stringValue ?? json.value(atPath: "error.code")?.stringValue
            let description =
                json["error_description"]?.stringValue ?? json["message"]?.stringValue
                ?? json["detail"]?.stringValue ?? json.value(atPath: "error.message")?.stringValue
            switch (code, description) {
            case let (code?, description?): return "\(code): \(description)"
            case let (code?, nil): return code
            case let (nil, description?): return description
            default: break
            }
        }
        let text = response.bodyText.trimmingSpaces().split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return text.isEmpty ? "empty body" : String(text.prefix(200))
    }

    static func isRejection(_ status: Int) -> Bool { [400, 401, 403].contains(status) }

    /// The failure for a non-success answer to `what` ("login", "refresh", "revocation").
    static func failure(_ response: HTTPResponse, what: String, url: String, hint: String) -> Failure {
        let reason = serverReason(response)
        if isRejection(response.status) {
            return Failure(.auth, "\(what) rejected: HTTP \(response.status) (\(reason)); \(hint)")
        }
        return Failure(.protocol, "\(what) failed: HTTP \(response.status) from \(url) (\(reason))")
    }

    /// The answer as JSON, or the reason it is not.
    static func json(_ response: HTTPResponse) -> Result<JSONValue, Failure> {
        do {
            return .success(try JSONValue.parse(response.body))
        } catch {
            let type = response.header("content-type").map { $0.filter { !$0.isNewline } } ?? "no Content-Type"
            let start = response.bodyText.prefix(60).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            return .failure(
                Failure(
                    .protocol,
                    "the answer is not JSON (\(type), \(response.body.count) bytes: '\(start)'): \(error.description)"
                )
            )
        }
    }

    /// HTTP Basic credentials for an OAuth 2.0 client (RFC 6749 §2.3.1, which
    /// form-encodes id and secret before joining them).
    /// A token or token type holding a line break would split the headers of every
    /// later request (HeaderSafety): refused before anything is stored.
    static func checkHeaderSafe(_ tokens: LocatedTokens, what: String) throws(Failure) {
        if let access = tokens.access {
            try HeaderSafety.check(access.reveal(), source: .server("the access token of the \(what) answer"))
        }
        if let type = tokens.tokenType {
            try HeaderSafety.check(type, source: .server("the token_type of the \(what) answer"))
        }
    }
}
