import Hummingbird
import NIOCore
import NIOHTTP1

/// A refused `/ws` handshake: the status, the RFC 6750 §3 challenge for a 401, and a
/// JSON body that says why in words, so that a developer reading a probe knows what
/// to change.
struct HandshakeRejection: Error, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let description: String
    /// The `WWW-Authenticate` value of a 401.
    let challenge: String?

    private struct Body: Encodable {
        let error: String
        let error_description: String
    }

    /// RFC 6750 §3.1: a request without any credential gets the bare challenge, no error code.
    static func missingCredential(_ description: String) -> HandshakeRejection {
        HandshakeRejection(
            status: .unauthorized,
            code: "missing_token",
            description: description,
            challenge: #"Bearer realm="wsauth""#
        )
    }

    /// RFC 6750 §3.1 `invalid_token`: expired, revoked, malformed, or a bad signature.
    static func invalidToken(_ description: String) -> HandshakeRejection {
        unauthorized(error: "invalid_token", description)
    }

    /// A credential in a place this server refuses (the query string).
    static func refusedPlacement(_ description: String) -> HandshakeRejection {
        unauthorized(error: "invalid_request", description)
    }

    /// RFC 6455 §10.2: a handshake from a page of another origin.
    static func forbiddenOrigin(_ description: String) -> HandshakeRejection {
        HandshakeRejection(status: .forbidden, code: "forbidden_origin", description: description, challenge: nil)
    }

    static func notFound(path: String) -> HandshakeRejection {
        HandshakeRejection(
            status: .notFound,
            code: "not_found",
            description: "no WebSocket endpoint at \(path); use /ws",
            challenge: nil
        )
    }

    private static func unauthorized(error: String, _ description: String) -> HandshakeRejection {
        HandshakeRejection(
            status: .unauthorized,
            code: error,
            description: description,
            challenge: #"Bearer realm="wsauth", error="\#(error)", error_description="\#(quotable(description))""#
        )
    }

    /// RFC 6750 §3: error_description is limited to %x20-21 / %x23-5B / %x5D-7E, so no
    /// quote, no backslash, nothing outside printable ASCII.
    private static func quotable(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    (0x20...0x7E).contains(scalar.value) && scalar != "\"" && scalar != "\\" ? scalar : "'"
                }
            )
        )
    }

    var headers: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        if let challenge { fields[.wwwAuthenticate] = challenge }
        return fields
    }

    var body: ByteBuffer { JSONResponse.encode(Body(error: code, error_description: description)) }

    /// The answer to a plain (non-upgrade) `GET /ws`.
    var response: Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// Answers a refused upgrade on the connection itself. HummingbirdWebSocket answers
    /// every refused upgrade with an empty 400 and offers no hook to change it, so the
    /// response is written here, before the upgrade decision returns, and the output
    /// side is shut so that the framework's 400 can never follow it.
    func send(on channel: any Channel) async {
        let body = self.body
        var fields = HTTPHeaders(headers.map { ($0.name.rawName, $0.value) })
        fields.add(name: "Content-Length", value: String(body.readableBytes))
        fields.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status.code), headers: fields)
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(body)), promise: nil)
        try? await channel.writeAndFlush(HTTPServerResponsePart.end(nil))
        try? await channel.close(mode: .output)
    }
}
