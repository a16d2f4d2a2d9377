/// The names the MQTT specifications give to return and reason codes: MQTT
/// 3.1.1 §3.2.2.3 (CONNACK return codes) and MQTT 5.0 §2.4 (Table 2-6).
public enum MQTTReasonCode {
    /// `0x87 Not authorized`, as people read it in the specification.
    public static func describe(_ code: UInt8, version: MQTTVersion) -> String {
        "\(hex(code)) \(name(code, version: version))"
    }

    static func hex(_ code: UInt8) -> String {
        let digits = String(code, radix: 16, uppercase: true)
        return "0x" + (digits.count == 1 ? "0" + digits : digits)
    }

    /// CONNACK codes that refuse the credentials: exit 2 (docs/protocols.md).
    static func refusesCredentials(_ code: UInt8, version: MQTTVersion) -> Bool {
        switch version {
        case .v311: code == 4 || code == 5
        case .v5: [0x86, 0x87, 0x8A, 0x8C].contains(code)
        }
    }

    /// A server's DISCONNECT (5.0 §3.14.2.1), as docs/protocols.md reads it: 0x87 Not
    /// authorized and 0x8C Bad authentication method refuse the credentials, 0xA0
    /// Maximum connect time asks for a new connection (the token's time is up), and
    /// any other reason ends the session.
    static func disconnectOutcome(_ code: UInt8) -> AppDisconnectOutcome {
        switch code {
        case 0x87, 0x8C: .refused
        case 0xA0: .renew
        default: .final
        }
    }

    public static func name(_ code: UInt8, version: MQTTVersion) -> String {
        if version == .v311 { return v311Names[Int(code)] ?? "unknown return code" }
        return v5Names[code] ?? "unknown reason code"
    }

    static let v311Names: [Int: String] = [
        0: "Connection Accepted", 1: "Connection Refused, unacceptable protocol version",
        2: "Connection Refused, identifier rejected", 3: "Connection Refused, Server unavailable",
        4: "Connection Refused, bad user name or password", 5: "Connection Refused, not authorized",
    ]

    public static let v5Names: [UInt8: String] = [
        0x00: "Success", 0x01: "Granted QoS 1", 0x02: "Granted QoS 2", 0x04: "Disconnect with Will Message",
        0x10: "No matching subscribers", 0x11: "No subscription existed", 0x18: "Continue authentication",
        0x19: "Re-authenticate", 0x80: "Unspecified error", 0x81: "Malformed Packet", 0x82: "Protocol Error",
        0x83: "Implementation specific error", 0x84: "Unsupported Protocol Version",
        0x85: "Client Identifier not valid",
        0x86: "Bad User Name or Password", 0x87: "Not authorized", 0x88: "Server unavailable", 0x89: "Server busy",
        0x8A: "Banned", 0x8B: "Server shutting down", 0x8C: "Bad authentication method", 0x8D: "Keep Alive timeout",
        0x8E: "Session taken over", 0x8F: "Topic Filter invalid", 0x90: "Topic Name invalid",
        0x91: "Packet Identifier in use", 0x92: "Packet Identifier not found", 0x93: "Receive Maximum exceeded",
        0x94: "Topic Alias invalid", 0x95: "Packet too large", 0x96: "Message rate too high", 0x97: "Quota exceeded",
        0x98: "Administrative action", 0x99: "Payload format invalid", 0x9A: "Retain not supported",
        0x9B: "QoS not supported", 0x9C: "Use another server", 0x9D: "Server moved",
        0x9E: "Shared Subscriptions not supported", 0x9F: "Connection rate exceeded", 0xA0: "Maximum connect time",
        0xA1: "Subscription Identifiers not supported", 0xA2: "Wildcard Subscriptions not supported",
    ]
}

/// `--mqtt-version`: the protocol level of CONNECT (3.1.1 §3.1.2.2: 4; 5.0 §3.1.2.2: 5).
public enum MQTTVersion: String, Sendable, Equatable {
    case v311 = "3.1.1"
    case v5 = "5"

    var level: UInt8 { self == .v311 ? 4 : 5 }
}
