/// What a refresh answer means: the renewed credentials, or the failure that
/// refuses the answer (the stored credentials are then kept). No I/O.
struct RefreshAnswer {
    var credentials: Credentials
    /// A new refresh token replaced the old (RFC 6819 §5.2.2.3 rotation).
    var rotated: Bool

    static func interpret(
        _ response: HTTPResponse,
        current: Credentials,
        endpoint: RefreshEndpoint,
        paths: TokenPaths,
        now: Timestamp
    ) throws(Failure) -> RefreshAnswer {
        guard (200..<300).contains(response.status) else {
            throw EndpointAnswer.failure(
                response,
                what: "refresh",
                url: endpoint.url,
                hint: "the stored credentials are kept; run 'wsauth login'"
            )
        }
        let json: JSONValue
        switch EndpointAnswer.json(response) {
        case .success(let value): json = value
        case .failure(let failure): throw failure.prefixed("refresh answer unusable: ")
        }
        let tokens = try TokenLocator.locate(in: json, paths: paths)
        try EndpointAnswer.checkHeaderSafe(tokens, what: "refresh")
        guard let access = tokens.access else {
            throw Failure(.protocol, "refresh answer holds no access token; pass --token-path PATH")
        }
        let rotated = tokens.refresh.map { $0 != current.refreshToken } ?? false
        var renewed = current
        renewed.accessToken = access
        renewed.refreshToken = tokens.refresh ?? current.refreshToken
        renewed.tokenType = tokens.tokenType ?? current.tokenType
        renewed.expiresAt =
            JWT.decode(access.reveal())?.expiresAt ?? tokens.expiresIn.map { now.addingTimeInterval($0) }
        // A jar's update (RFC 6265 §5.3 step 11): a cookie the answer sets replaces
        // the stored one of its name, or removes it when it is set already expired.
        let set = Set(response.headers("set-cookie").compactMap(SetCookie.parse).map(\.name))
        renewed.cookies = current.cookies.filter { !set.contains($0.name) } + response.cookies
        renewed.refreshEndpoint = endpoint
        renewed.refreshedAt = now
        // A file from before origins were kept stays on the login URL rule (CredentialScope).
        if renewed.obtainedFrom != nil { renewed.recordOrigin(endpoint.url) }
        return RefreshAnswer(credentials: renewed, rotated: rotated)
    }
}
