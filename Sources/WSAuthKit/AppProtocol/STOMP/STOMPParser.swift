/// Decodes the STOMP frames in one WebSocket message (STOMP 1.2 "Augmented BNF"):
///
///     frame = command EOL *( header EOL ) EOL *OCTET NULL *( EOL )
///     EOL   = [CR] LF
///
/// A message may carry several frames; EOLs before the first frame are a
/// heart-beat ("Heart-beating"), EOLs after a frame's NUL belong to that frame.
/// Every departure from the grammar is a `STOMPFrameError`, never a trap.
public enum STOMPParser {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    public static func parse(_ bytes: [UInt8]) throws(STOMPFrameError) -> [STOMPItem] {
        var items: [STOMPItem] = []
        var index = skipEOLs(bytes, from: 0)
        if index > 0 { items.append(.heartBeat) }
        while index < bytes.count {
            let (frame, end) = try frame(bytes, from: index)
            items.append(.frame(frame))
            index = skipEOLs(bytes, from: end)
        }
        return items
    }

    private static func skipEOLs(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            if bytes[index] == lf {
                index += 1
            } else if bytes[index] == cr, index + 1 < bytes.count, bytes[index + 1] == lf {
                index += 2
            } else {
                break
            }
        }
        return index
    }

    /// One frame starting at `start`; returns it and the index after its NUL.
    private static func frame(_ bytes: [UInt8], from start: Int) throws(STOMPFrameError) -> (STOMPFrame, Int) {
        guard let (commandLine, afterCommand) = line(bytes, from: start) else { throw .missingNUL }
        // STOMP 1.2 "Augmented BNF": the commands are upper-case words.
        let command = String(decoding: commandLine, as: UTF8.self)
        guard commandLine.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else { throw .badCommand(command) }
        var frame = STOMPFrame(command)
        var index = afterCommand
        while true {
            guard let (text, next) = line(bytes, from: index) else { throw .missingNUL }
            index = next
            if text.isEmpty { break }
            frame.headers.append(try header(text, escaped: frame.escapesHeaders))
        }
        let bodyEnd = try bodyEnd(bytes, from: index, contentLength: frame["content-length"])
        frame.body = Array(bytes[index..<bodyEnd])
        return (frame, bodyEnd + 1)
    }

    /// The octets of one line without its EOL, and the index after the EOL; nil
    /// when the message ends first.
    private static func line(_ bytes: [UInt8], from start: Int) -> (ArraySlice<UInt8>, Int)? {
        guard let newline = bytes[start...].firstIndex(of: lf) else { return nil }
        var end = newline
        if end > start, bytes[end - 1] == cr { end -= 1 }
        return (bytes[start..<end], newline + 1)
    }

    private static func header(_ line: ArraySlice<UInt8>, escaped: Bool) throws(STOMPFrameError) -> STOMPFrame.Header {
        guard let text = String(validating: line, as: UTF8.self) else { throw .headerNotUTF8 }
        guard let colon = text.firstIndex(of: ":") else { throw .headerWithoutColon(text) }
        let name = String(text[..<colon])
        let value = String(text[text.index(after: colon)...])
        guard escaped else { return STOMPFrame.Header(name, value) }
        return STOMPFrame.Header(try STOMPEscaping.unescape(name), try STOMPEscaping.unescape(value))
    }

    /// Where the body ends (the index of its NUL): `content-length` octets when
    /// given ("Header content-length"), else up to the first NUL.
    private static func bodyEnd(
        _ bytes: [UInt8],
        from start: Int,
        contentLength: String?
    ) throws(STOMPFrameError) -> Int {
        guard let contentLength else {
            guard let nul = bytes[start...].firstIndex(of: 0) else { throw .missingNUL }
            return nul
        }
        guard contentLength.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = Int(contentLength),
            length <= bytes.count - start
        else {
            throw .badContentLength(contentLength)
        }
        let end = start + length
        guard end < bytes.count else { throw .missingNUL }
        guard bytes[end] == 0 else { throw .bodyLongerThanContentLength }
        return end
    }
}
