/// Collects the server's answer to the upgrade request until its head is complete and
/// parses it (RFC 9112 §2–§5). Bytes after the head are handed back untouched: a server
/// may send its first frames, or an error body, in the same packet.
public struct ResponseHeadParser: Sendable {
    public let maxHeadSize: Int
    private var buffer: [UInt8] = []
    /// Where the search for the blank line resumes, so that a head arriving in many small
    /// pieces is scanned once.
    private var scanned = 0

    public init(maxHeadSize: Int = 64 * 1024) {
        self.maxHeadSize = maxHeadSize
    }

    public mutating func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    /// The head and the bytes after it once the blank line that ends the head has arrived
    /// (CRLF CRLF, or bare LFs, which RFC 9112 §2.2 lets a recipient accept); nil before.
    /// The parser then starts over with an empty buffer.
    public mutating func parse() throws(HandshakeError) -> (head: HTTPResponseHead, remainder: [UInt8])? {
        guard let (headEnd, bodyStart) = findBlankLine() else {
            if buffer.count > maxHeadSize { throw .headTooLarge(maxHeadSize) }
            return nil
        }
        if bodyStart > maxHeadSize { throw .headTooLarge(maxHeadSize) }
        let head = try Self.parseHead(buffer[..<headEnd])
        let remainder = Array(buffer[bodyStart...])
        buffer = []
        scanned = 0
        return (head, remainder)
    }

    /// The end of the head's last line and the start of what follows the blank line.
    private mutating func findBlankLine() -> (headEnd: Int, bodyStart: Int)? {
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        var index = max(scanned, 0)
        while index < buffer.count {
            if buffer[index] == lf {
                if index + 1 < buffer.count && buffer[index + 1] == lf {
                    return (index, index + 2)
                }
                if index + 2 < buffer.count && buffer[index + 1] == cr && buffer[index + 2] == lf {
                    return (index, index + 3)
                }
                // The blank line may be only partly here: look at this LF again next time.
                if index + 2 >= buffer.count {
                    scanned = index
                    return nil
                }
            }
            index += 1
        }
        scanned = buffer.count
        return nil
    }

    private static func parseHead(_ bytes: ArraySlice<UInt8>) throws(HandshakeError) -> HTTPResponseHead {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        let statusLine = lines.removeFirst()
        let (version, status, reason) = try parseStatusLine(statusLine)

        var headers: [HTTPHeader] = []
        for line in lines {
            if line.first == " " || line.first == "\t" {
                // obs-fold (RFC 9112 §5.2): the line continues the previous value.
                guard !headers.isEmpty else {
                    throw .malformedResponse("continuation line before any header: \(quoted(line))")
                }
                let continuation = CommaList.trimmingWhitespace(line)
                headers[headers.count - 1].value +=
                    headers[headers.count - 1].value.isEmpty
                    ? continuation : " " + continuation
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw .malformedResponse("header line without a colon: \(quoted(line))")
            }
            let name = line[..<colon]
            // RFC 9110 §5.1: a field name is a token; RFC 9112 §5.1 forbids whitespace
            // before the colon.
            guard HTTPToken.isToken(name) else {
                throw .malformedResponse("invalid header name in \(quoted(line))")
            }
            headers.append(
                HTTPHeader(name: String(name), value: CommaList.trimmingWhitespace(line[line.index(after: colon)...]))
            )
        }
        return HTTPResponseHead(version: version, status: status, reason: reason, headers: headers)
    }

    /// "HTTP/1.1 101 Switching Protocols"; the reason phrase may be empty or missing
    /// (RFC 9112 §4).
    private static func parseStatusLine(_ line: String) throws(HandshakeError) -> (String, Int, String) {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else {
            throw .malformedResponse("status line is not HTTP: \(quoted(line))")
        }
        guard parts[1].count == 3, parts[1].allSatisfy({ ("0"..."9").contains($0) }), let status = Int(parts[1]) else {
            throw .malformedResponse("invalid status code in \(quoted(line))")
        }
        return (String(parts[0]), status, parts.count > 2 ? String(parts[2]) : "")
    }

    /// The offending line for an error message, shortened and with controls escaped so
    /// that it stays one line.
    private static func quoted(_ line: String) -> String {
        let limit = 80
        let shown = line.count > limit ? String(line.prefix(limit)) + "…" : line
        return "\"" + shown.unicodeScalars.map { $0.escaped(asASCII: false) }.joined() + "\""
    }
}
