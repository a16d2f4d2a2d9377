import CCrypto

/// The opening-handshake key and its proof of receipt (RFC 6455 §1.3, §4.1, §4.2.2).
public enum WebSocketAccept {
    /// The fixed GUID a server appends to the client's key (RFC 6455 §1.3).
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The Sec-WebSocket-Accept a server must answer `key` with: base64(SHA-1(key + GUID)).
    public static func value(forKey key: String) -> String {
        let input = Array((key + guid).utf8)
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        _ = input.withUnsafeBufferPointer { bytes in
            digest.withUnsafeMutableBufferPointer { out in
                SHA1(bytes.baseAddress, bytes.count, out.baseAddress)
            }
        }
        return Base64.encode(digest)
    }

    /// A fresh Sec-WebSocket-Key: 16 random bytes, base64-encoded (RFC 6455 §4.1 wants
    /// them "randomly selected" per connection).
    public static func makeKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64.encode(bytes)
    }
}
