import Hummingbird

/// An error answer in the RFC 6749 §5.2 shape, `{"error": …, "error_description": …}`,
/// used by every endpoint so that a client needs one parser for all of them.
struct AuthError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: String
    let description: String
    var headers: HTTPFields = [:]

    private struct Body: Encodable {
        let error: String
        let error_description: String
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(Body(error: code, error_description: description), status: status, headers: headers)
    }

    /// RFC 6749 §5.2: a malformed request.
    static func invalidRequest(_ description: String) -> AuthError {
        AuthError(status: .badRequest, code: "invalid_request", description: description)
    }

    /// RFC 6749 §5.2: the grant (code, refresh token, device code, password) is not good.
    static func invalidGrant(_ description: String) -> AuthError {
        AuthError(status: .badRequest, code: "invalid_grant", description: description)
    }

    /// RFC 6749 §5.2: client authentication failed; 401 with the scheme the client
    /// tried (or Basic) in `WWW-Authenticate`.
    static func invalidClient(_ description: String) -> AuthError {
        AuthError(
            status: .unauthorized,
            code: "invalid_client",
            description: description,
            headers: [.wwwAuthenticate: #"Basic realm="wsauth""#]
        )
    }
}
