import CCrypto

/// SHA-256 for PKCE's S256 challenge (RFC 7636 §4.2), from the system's
/// libcrypto that libcurl already loads — the client links no other crypto.
/// The login that needs it loads libcrypto first (`SystemLibraries.loadCrypto`).
enum SHA256Digest {
    static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        _ = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { out in SHA256(input.baseAddress, input.count, out.baseAddress) }
        }
        return digest
    }
}
