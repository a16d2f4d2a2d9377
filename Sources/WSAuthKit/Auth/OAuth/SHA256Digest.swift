// The client's SHA-256 comes from what it links: the system's libcrypto (CCrypto)
// once the lean client has landed, swift-crypto before (main still lists it for
// WSAuthKit). Whichever is present builds; there is no third implementation.
#if canImport(CCrypto)
import CCrypto
#else
import Crypto
#endif

enum SHA256Digest {
    static func hash(_ bytes: [UInt8]) -> [UInt8] {
        #if canImport(CCrypto)
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        _ = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { out in SHA256(input.baseAddress, input.count, out.baseAddress) }
        }
        return digest
        #else
        return Array(SHA256.hash(data: bytes))
        #endif
    }
}
