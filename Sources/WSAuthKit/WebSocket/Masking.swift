/// The XOR masking of RFC 6455 §5.3, done eight bytes at a time: the 64 MiB messages
/// the tool must handle make a byte loop visible.
enum Masking {
    /// Writes `source` XOR the repeating 4-byte `key` to `destination`, starting at key
    /// byte 0. The two may be the same memory (masking in place).
    static func apply(
        key: [UInt8], from source: UnsafeRawBufferPointer, to destination: UnsafeMutableRawBufferPointer
    ) {
        precondition(key.count == 4, "a masking key is 4 bytes (RFC 6455 §5.2)")
        precondition(source.count == destination.count)
        let count = source.count
        guard count > 0, let src = source.baseAddress, let dst = destination.baseAddress else { return }
        // Loaded from memory, the word holds the key bytes in wire order on any endianness.
        let key32 = key.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        let key64 = UInt64(key32) | UInt64(key32) << 32
        var offset = 0
        while offset + 8 <= count {
            let word = src.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            dst.storeBytes(of: word ^ key64, toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < count {
            let byte = src.load(fromByteOffset: offset, as: UInt8.self)
            dst.storeBytes(of: byte ^ key[offset & 3], toByteOffset: offset, as: UInt8.self)
            offset += 1
        }
    }
}
