/// Which end of the connection this endpoint is. It decides masking: a client masks
/// every frame it sends and rejects masked frames; a server does the opposite
/// (RFC 6455 §5.1).
public enum Role: Sendable {
    case client, server
}
