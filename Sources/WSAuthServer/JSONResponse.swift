import Hummingbird

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every answer of this server is JSON; this is the one place that encodes it.
enum JSONResponse {
    static func encode(_ value: some Encodable) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Our bodies are plain structs of strings and numbers: encoding cannot fail.
        return ByteBuffer(bytes: try! encoder.encode(value))
    }

    /// Token answers must not be cached (RFC 6749 §5.1).
    static func make(
        _ value: some Encodable,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: encode(value)))
    }
}
