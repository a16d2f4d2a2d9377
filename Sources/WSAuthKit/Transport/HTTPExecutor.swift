/// Performs the request a flow built and hands back the answer it interprets.
///
/// The login, refresh, revocation, device and discovery flows never touch the
/// network themselves: each builds an `HTTPRequest` value and interprets an
/// `HTTPResponse` value, so their decisions are tested with canned answers;
/// `HTTPClient` (libcurl) is the one executor that really sends.
public protocol HTTPExecutor: Sendable {
    /// `cookies` are the stored ones; with `-H` and `-b` they ride on the request
    /// as far as `RequestCredentials` lets them. `emit` hears the trace and the secrets of the exchange (`HTTPTrace`).
    func exchange(
        _ request: HTTPRequest,
        cookies: [NetscapeCookie],
        emit: (Event) -> Void
    ) throws(Failure) -> HTTPResponse
}

extension HTTPClient: HTTPExecutor {
    public func exchange(
        _ request: HTTPRequest,
        cookies: [NetscapeCookie],
        emit: (Event) -> Void
    ) throws(Failure) -> HTTPResponse {
        let credentials = RequestCredentials(transport: options, stored: cookies)
        try checkHeaderValues(request, given: credentials)
        let request = credentials.attach(to: request)
        HTTPTrace.request(request, transport: options, emit: emit)
        let response = try perform(request)
        HTTPTrace.response(response, transport: options, emit: emit)
        return response
    }
}
