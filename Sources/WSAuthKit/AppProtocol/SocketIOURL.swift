/// Where a Socket.IO server listens for the WebSocket transport (docs/reference/behaviour.md
/// "Application protocols", `socketio`): the URL a user copies from their
/// client (`https://host`, `wss://host/socket.io/`) becomes
/// `wss://host/socket.io/?EIO=4&transport=websocket`.
public enum SocketIOURL {
    /// `http(s)://` is taken as `ws(s)://`; a URL without a path gets
    /// `/socket.io/` (the libraries' default `path`); the query is kept and
    /// `EIO=4` and `transport=websocket` are added unless already there.
    public static func resolve(_ text: String) throws(Failure) -> WebSocketURL {
        var wsText = text
        for (http, ws) in [("https://", "wss://"), ("http://", "ws://")] where text.lowercased().hasPrefix(http) {
            wsText = ws + text.dropFirst(http.count)
        }
        var url = try WebSocketURL.parse(wsText)
        if url.path == "/" {
            url.resource = "/socket.io/" + url.resource.dropFirst()
        }
        let query = url.resource.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
        let names = Set(query.split(separator: "&").map { $0.prefix { $0 != "=" } })
        if !names.contains("EIO") { url = url.addingQueryItem(name: "EIO", value: "4") }
        if !names.contains("transport") { url = url.addingQueryItem(name: "transport", value: "websocket") }
        return url
    }
}
