/// The XOR masking of RFC 6455 §5.3, done eight bytes at a time: the 64 MiB messages
/// the tool must handle make a byte loop visible.
enum Masking {
    /// Writes `source` XOR the repeating 4-byte `key` to `destination`, starting at key
    /// byte 0. The two may be the same memory (masking in place).
    static func apply(
        key: [UInt8],
        from source: UnsafeRawBufferPointer,
        to destination: UnsafeMutableRawBufferPointer
    ) {
        precondition(key.count == 4, "a masking key is 4 bytes (RFC 6455 §5.2)")
        // Loaded from memory, the word holds the key bytes in wire order on any endianness.
        apply(key: key.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }, from: source, to: destination)
    }

    /// The same with the key as the word loaded from its 4 bytes in wire order, as the
    /// decoder reads it from the frame header without making an array of it.
    static func apply(
        key key32: UInt32,
        from source: UnsafeRawBufferPointer,
        to destination: UnsafeMutableRawBufferPointer
    ) {
        precondition(source.count == destination.count)
        let count = source.count
        guard count > 0, let src = source.baseAddress, let dst = destination.baseAddress else { return }
        let key64 = UInt64(key32) | UInt64(key32) << 32
        var offset = 0
        while offset + 8 <= count {
            let word = src.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            dst.storeBytes(of: word ^ key64, toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < count {
            let byte = src.load(fromByteOffset: offset, as: UInt8.self)
            let keyByte = withUnsafeBytes(of: key32) { $0[offset & 3] }
            dst.storeBytes(of: byte ^ keyByte, toByteOffset: offset, as: UInt8.self)
            offset += 1
        }
    }
}
