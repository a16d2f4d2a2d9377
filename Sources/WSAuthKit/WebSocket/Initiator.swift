/// Which side sent the first close frame (RFC 6455 §7.1.2–§7.1.3).
public enum Initiator: String, Sendable {
    case client, server
}
