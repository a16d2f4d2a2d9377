/// One Engine.IO v4 packet as it travels in a WebSocket text message (the
/// websocket transport carries one packet per message, no payload framing):
/// a type digit, then the data (engine.io-protocol v4, "Packet encoding").
/// Binary WebSocket messages are binary `message` packets with no type byte;
/// Socket.IO uses them only for attachments, so they never come through here.
public enum EngineIOPacket: Sendable, Equatable {
    case open(EngineIOOpen)
    case close
    case ping(String)
    case pong(String)
    case message(String)
    case upgrade
    case noop

    /// Parses one text message; garbage is a protocol error, never a crash.
    public static func parse(_ text: String) throws(AppProtocolError) -> EngineIOPacket {
        guard let first = text.first else { throw AppProtocolError("an empty Engine.IO packet") }
        let data = String(text.dropFirst())
        switch first {
        case "0": return .open(try EngineIOOpen(json: data))
        case "1": return .close
        case "2": return .ping(data)
        case "3": return .pong(data)
        case "4": return .message(data)
        case "5": return .upgrade
        case "6": return .noop
        default: throw AppProtocolError("unknown Engine.IO packet type '\(first)' in \(AppProtocolError.excerpt(text))")
        }
    }

    /// The text message that carries this packet (what we send: pongs, messages).
    public var encoded: String {
        switch self {
        case .open: "0"
        case .close: "1"
        case .ping(let data): "2" + data
        case .pong(let data): "3" + data
        case .message(let data): "4" + data
        case .upgrade: "5"
        case .noop: "6"
        }
    }
}

/// The handshake the server opens an Engine.IO session with (`0{…}`).
public struct EngineIOOpen: Sendable, Equatable {
    public var sid: String
    public var upgrades: [String]
    /// Milliseconds between the server's pings.
    public var pingInterval: Int
    /// Milliseconds the server waits for our pong; the client allows
    /// `pingInterval + pingTimeout` between pings before it calls the server dead.
    public var pingTimeout: Int
    /// Largest packet the server accepts, in bytes (absent before Engine.IO 6).
    public var maxPayload: Int?

    public init(sid: String, upgrades: [String] = [], pingInterval: Int, pingTimeout: Int, maxPayload: Int? = nil) {
        self.sid = sid
        self.upgrades = upgrades
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxPayload = maxPayload
    }

    init(json: String) throws(AppProtocolError) {
        let value: JSONValue
        do { value = try JSONValue.parse(json) } catch {
            throw AppProtocolError("the Engine.IO open packet is not JSON (\(error.reason))")
        }
        guard let sid = value["sid"]?.stringValue, !sid.isEmpty else {
            throw AppProtocolError("the Engine.IO open packet has no sid")
        }
        guard let interval = EngineIOOpen.wholeNumber(value["pingInterval"]),
            let timeout = EngineIOOpen.wholeNumber(value["pingTimeout"])
        else {
            throw AppProtocolError("the Engine.IO open packet lacks a numeric pingInterval/pingTimeout")
        }
        var upgrades: [String] = []
        if case .array(let items)? = value["upgrades"] { upgrades = items.compactMap(\.stringValue) }
        self.init(
            sid: sid,
            upgrades: upgrades,
            pingInterval: interval,
            pingTimeout: timeout,
            maxPayload: EngineIOOpen.wholeNumber(value["maxPayload"])
        )
    }

    /// A non-negative whole JSON number small enough for an `Int` on any platform.
    private static func wholeNumber(_ value: JSONValue?) -> Int? {
        guard case .number(let n)? = value, n >= 0, n < 1e12, n == n.rounded() else { return nil }
        return Int(n)
    }
}

/// The peer broke an application protocol: the `violation` action's message.
public struct AppProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// The start of a bad message, for the one line that reports it.
    static func excerpt(_ text: String, limit: Int = 60) -> String {
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
        return JSONValue.string(shown).serialized()
    }
}
