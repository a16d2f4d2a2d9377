/// The session cookie set at login (RFC 6265 §4.1): HttpOnly so page scripts cannot
/// read it, SameSite=Lax so other sites' subrequests do not carry it. WebSocket
/// handshakes are not covered by SameSite=Lax in every browser, which is why `/ws`
/// also checks `Origin`.
enum SessionCookie {
    static let name = "wsauth_session"

    static func set(sessionID: String) -> String {
        "\(name)=\(sessionID); Path=/; HttpOnly; SameSite=Lax"
    }

    static var clear: String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
    }
}
