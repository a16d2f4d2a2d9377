/// One STOMP frame (STOMP 1.2 "STOMP Frames"): a command, headers in the order
/// sent, and a body of octets.
public struct STOMPFrame: Sendable, Equatable {
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var command: String
    public var headers: [Header]
    public var body: [UInt8]

    public init(_ command: String, _ headers: [Header] = [], body: [UInt8] = []) {
        self.command = command
        self.headers = headers
        self.body = body
    }

    /// STOMP 1.2 "Repeated Header Entries": only the first occurrence counts.
    public subscript(name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// CONNECT and CONNECTED are not escaped, for 1.0 peers (STOMP 1.2 "Value Encoding").
    var escapesHeaders: Bool { command != "CONNECT" && command != "CONNECTED" }

    /// The frame on the wire: a `content-length` header is added when the body is
    /// not empty (so a body may hold NUL octets), then the NUL terminator.
    public func encoded() -> [UInt8] {
        var text = command + "\n"
        var lines = headers
        if !body.isEmpty, self["content-length"] == nil {
            lines.append(Header("content-length", String(body.count)))
        }
        for header in lines {
            let name = escapesHeaders ? STOMPEscaping.escape(header.name) : header.name
            let value = escapesHeaders ? STOMPEscaping.escape(header.value) : header.value
            text += name + ":" + value + "\n"
        }
        text += "\n"
        return Array(text.utf8) + body + [0]
    }
}

/// What one WebSocket message held: frames and EOL heart-beats (STOMP 1.2 "Heart-beating").
public enum STOMPItem: Sendable, Equatable {
    case frame(STOMPFrame)
    case heartBeat
}

/// A STOMP grammar violation (STOMP 1.2 "Augmented BNF"): the peer broke the
/// protocol, which ends the session with exit 3.
public enum STOMPFrameError: Error, Sendable, Equatable {
    case badCommand(String)
    case headerWithoutColon(String)
    case headerNotUTF8
    case undefinedEscape(String)
    case badContentLength(String)
    case missingNUL
    case bodyLongerThanContentLength

    public var message: String {
        switch self {
        case .badCommand(let text): "'\(text.prefix(40))' is not a STOMP command (upper-case letters)"
        case .headerWithoutColon(let line): "a header line without ':' (\(line.prefix(60)))"
        case .headerNotUTF8: "a header that is not UTF-8"
        case .undefinedEscape(let sequence):
            "an undefined escape \(sequence) in a header (STOMP 1.2 allows \\r \\n \\c \\\\)"
        case .badContentLength(let value): "content-length '\(value.prefix(30))' is not a number of octets in the frame"
        case .missingNUL: "a frame not terminated by NUL"
        case .bodyLongerThanContentLength: "no NUL right after content-length octets of body"
        }
    }
}

/// STOMP 1.2 "Value Encoding": `\r`, `\n`, `:` and `\` in header names and values.
enum STOMPEscaping {
    /// By scalar, not Character: "\r\n" is one Character and would slip through raw.
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case ":": out.append(contentsOf: "\\c".unicodeScalars)
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// An undefined escape sequence is a fatal protocol error (the spec says MUST).
    static func unescape(_ text: String) throws(STOMPFrameError) -> String {
        guard text.contains("\\") else { return text }
        var out = String.UnicodeScalarView()
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\\" else {
                out.append(scalar)
                continue
            }
            switch iterator.next() {
            case "r": out.append("\r")
            case "n": out.append("\n")
            case "c": out.append(":")
            case "\\": out.append("\\")
            case let other: throw .undefinedEscape("\\" + (other.map(String.init) ?? ""))
            }
        }
        return String(out)
    }
}
