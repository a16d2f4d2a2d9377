import CZlib

/// One zlib deflate or inflate stream in raw mode (no zlib header or checksum: RFC 7692
/// §7.2.1 carries bare DEFLATE, RFC 1951).
///
/// It lives on the heap because zlib keeps a pointer back to its `z_stream` and refuses a
/// stream that has moved. `MessageDeflater` and `MessageInflater` copy it before they
/// write to it while it is shared (copy-on-write), so the connection that holds them stays
/// a value type; that discipline is why the class may be `@unchecked Sendable`.
final class ZlibStream: @unchecked Sendable {
    enum Direction {
        case deflate
        case inflate
    }

    enum Failure: Error, Equatable {
        /// More than `limit` bytes came out; `size` is how many had when it stopped.
        case outputLimitExceeded(size: Int)
        /// zlib rejected the input (Z_DATA_ERROR and kin), with its message.
        case invalidData(String)
    }

    let direction: Direction
    private let stream: UnsafeMutablePointer<z_stream>
    /// No input went in since the stream began or was reset: it expects a block header.
    private(set) var isFresh = true

    /// Output is produced this much at a time, then appended: the most by which a bounded
    /// output can be asked to grow in one step.
    static let chunkSize = 64 * 1024

    /// A raw deflate stream with an LZ77 window of 2^`windowBits` bytes (9–15; zlib
    /// cannot make an 8-bit raw window).
    init(deflateWindowBits windowBits: Int) {
        direction = .deflate
        stream = Self.allocate()
        let status = wsa_deflateInit2(stream, Z_DEFAULT_COMPRESSION, Int32(-windowBits), 8, Z_DEFAULT_STRATEGY)
        precondition(status == Z_OK, "zlib deflateInit2 failed (\(status))")
    }

    /// A raw inflate stream with the largest window, which decodes whatever window the
    /// sender used (RFC 7692 §7.1.2.1 only bounds the sender).
    init() {
        direction = .inflate
        stream = Self.allocate()
        let status = wsa_inflateInit2(stream, -15)
        precondition(status == Z_OK, "zlib inflateInit2 failed (\(status))")
    }

    private init(copying other: ZlibStream) {
        direction = other.direction
        isFresh = other.isFresh
        stream = Self.allocate()
        let status =
            switch direction {
            case .deflate: deflateCopy(stream, other.stream)
            case .inflate: inflateCopy(stream, other.stream)
            }
        precondition(status == Z_OK, "zlib could not copy a stream (\(status))")
    }

    deinit {
        switch direction {
        case .deflate: deflateEnd(stream)
        case .inflate: inflateEnd(stream)
        }
        stream.deallocate()
    }

    private static func allocate() -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        return stream
    }

    func copy() -> ZlibStream { ZlibStream(copying: self) }

    /// Forgets the LZ77 window: the next message starts from an empty context.
    func reset() {
        isFresh = true
        switch direction {
        case .deflate: deflateReset(stream)
        case .inflate: inflateReset(stream)
        }
    }

    /// Runs all of `input` through the stream with `Z_SYNC_FLUSH` (everything decodable
    /// comes out, RFC 7692 §7.2.1), appending the output to `output`.
    ///
    /// With a `limit`, `output` never holds more than `limit + 1` bytes nor grows its
    /// storage past that: inflating stops at the first byte over the limit, however much
    /// the input would still expand to.
    func process(_ bytes: [UInt8], into output: inout [UInt8], limit: Int? = nil) throws(Failure) {
        let result: Result<Void, Failure> = bytes.withUnsafeBytes { input in
            process(input, into: &output, limit: limit)
        }
        try result.get()
    }

    private func process(
        _ input: UnsafeRawBufferPointer,
        into output: inout [UInt8],
        limit: Int?
    )
        -> Result<Void, Failure>
    {
        var fed = 0
        stream.pointee.avail_in = 0
        return withUnsafeTemporaryAllocation(byteCount: Self.chunkSize, alignment: 1) { scratch in
            while true {
                if stream.pointee.avail_in == 0, fed < input.count, let base = input.baseAddress {
                    // avail_in is 32 bits: feed a huge input in pieces.
                    let piece = min(input.count - fed, 1 << 30)
                    stream.pointee.next_in = UnsafeMutablePointer(
                        mutating: (base + fed).assumingMemoryBound(to: Bytef.self)
                    )
                    stream.pointee.avail_in = uInt(piece)
                    fed += piece
                }
                var room = Self.chunkSize
                if let limit {
                    // Room for one byte past the limit, so that exceeding it shows.
                    let allowed = limit - output.count
                    guard allowed >= 0 else { return .failure(.outputLimitExceeded(size: output.count)) }
                    room = min(room, allowed + 1)
                }
                stream.pointee.next_out = scratch.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(room)
                let availableBefore = stream.pointee.avail_in
                let status =
                    switch direction {
                    case .deflate: deflate(stream, Z_SYNC_FLUSH)
                    case .inflate: inflate(stream, Z_SYNC_FLUSH)
                    }
                let produced = room - Int(stream.pointee.avail_out)
                if stream.pointee.avail_in != availableBefore { isFresh = false }
                Self.append(UnsafeRawBufferPointer(rebasing: scratch[..<produced]), to: &output, limit: limit)
                if let limit, output.count > limit { return .failure(.outputLimitExceeded(size: output.count)) }

                let inputLeft = stream.pointee.avail_in > 0 || fed < input.count
                switch status {
                case Z_OK:
                    break
                case Z_STREAM_END:
                    // A block with BFINAL set ended the DEFLATE stream; a sender may flush
                    // that way (RFC 7692 §7.2.3.5), and what follows is a new stream.
                    reset()
                    continue
                case Z_BUF_ERROR:
                    // No progress was possible: done, unless input is left over.
                    return inputLeft ? .failure(.invalidData("no progress")) : .success(())
                default:
                    return .failure(.invalidData(message(status)))
                }
                // Output room left over means nothing more is pending inside zlib.
                if !inputLeft && stream.pointee.avail_out > 0 { return .success(()) }
            }
        }
    }

    /// Appends, growing `output` at most to `limit + 1` bytes of storage when bounded
    /// (doubling would otherwise reserve up to twice the limit).
    private static func append(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8], limit: Int?) {
        guard !bytes.isEmpty else { return }
        if let limit, output.count + bytes.count > output.capacity {
            let ceiling = limit == .max ? limit : limit + 1
            output.reserveCapacity(min(max(output.capacity * 2, output.count + bytes.count), ceiling))
        }
        output.append(contentsOf: bytes)
    }

    private func message(_ status: Int32) -> String {
        guard let text = stream.pointee.msg else { return "zlib error \(status)" }
        return String(cString: text)
    }
}
