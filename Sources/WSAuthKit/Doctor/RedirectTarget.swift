/// Where a redirect answered to the upgrade points, as the WebSocket URL to use
/// instead: `https://` becomes `wss://`, `http://` `ws://`, and a path (RFC 9110
/// §10.2.2 allows a relative `Location`) keeps the request's scheme and host.
enum RedirectTarget {
    static func webSocketURL(_ location: String, from request: String) -> String? {
        let lower = location.lowercased()
        for (http, ws) in [("https://", "wss://"), ("http://", "ws://"), ("wss://", "wss://"), ("ws://", "ws://")]
        where lower.hasPrefix(http) {
            return (try? WebSocketURL.parse(ws + location.dropFirst(http.count)))?.description
        }
        guard location.hasPrefix("/"), !location.hasPrefix("//"), var url = try? WebSocketURL.parse(request) else {
            return nil
        }
        url.resource = location
        return url.description
    }
}
