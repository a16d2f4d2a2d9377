import Hummingbird

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads a POST body as JSON or as `application/x-www-form-urlencoded`, as the
/// clients send it: wsauth's `--form`, OAuth 2.0 token requests (RFC 6749 §4.3.2), HTML forms.
extension Request {
    /// Bodies of these endpoints are a few short fields; anything bigger is not ours.
    static let maxAuthBodySize = 64 * 1024

    func decodeFields<Fields: Decodable>(_ type: Fields.Type) async throws -> Fields {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: Self.maxAuthBodySize)
        } catch {
            throw AuthError(status: .contentTooLarge, code: "invalid_request", description: "body larger than 64 KiB")
        }
        // An empty body decodes as an empty object, so a missing field is named as such.
        let text = buffer.readableBytes == 0 ? "{}" : String(buffer: buffer)
        let mediaType = headers[.contentType]?.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        do {
            switch buffer.readableBytes == 0 ? "application/json" : mediaType {
            case "application/x-www-form-urlencoded":
                if text.hasPrefix("{") {
                    throw AuthError.invalidRequest(
                        "the body looks like JSON but is labelled application/x-www-form-urlencoded (curl -d's default); send Content-Type: application/json"
                    )
                }
                return try URLEncodedFormDecoder().decode(type, from: text)
            case "application/json", nil:
                return try JSONDecoder().decode(type, from: Data(text.utf8))
            case let other?:
                throw AuthError(
                    status: .unsupportedMediaType,
                    code: "invalid_request",
                    description:
                        "Content-Type \(other) not accepted; send application/json or application/x-www-form-urlencoded"
                )
            }
        } catch let error as AuthError {
            throw error
        } catch DecodingError.keyNotFound(let key, _) {
            throw AuthError.invalidRequest("missing field \(key.stringValue)")
        } catch {
            throw AuthError.invalidRequest("the body is not valid \(mediaType ?? "JSON") with the expected fields")
        }
    }
}
