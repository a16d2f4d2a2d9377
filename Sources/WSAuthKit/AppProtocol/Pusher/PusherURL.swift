/// Where a Pusher protocol server listens (docs/protocols.md, `pusher`):
/// `ws(s)://HOST/app/KEY`, with `protocol=7&client=wsauth&version=…` added as the
/// protocol's clients do.
public enum PusherURL {
    /// `http(s)://` is taken as `ws(s)://`; the path must be `/app/KEY`; the query
    /// is kept and the three items are added unless already there.
    public static func resolve(_ text: String) throws(Failure) -> WebSocketURL {
        var wsText = text
        for (http, ws) in [("https://", "wss://"), ("http://", "ws://")] where text.lowercased().hasPrefix(http) {
            wsText = ws + text.dropFirst(http.count)
        }
        var url = try WebSocketURL.parse(wsText)
        let parts = url.path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1] == "app", !parts[2].isEmpty else {
            throw Failure.usage("\(text): a Pusher URL is ws(s)://HOST/app/KEY (the app key)")
        }
        let query = url.resource.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
        let names = Set(query.split(separator: "&").map { String($0.prefix { $0 != "=" }) })
        let added = [("protocol", "7"), ("client", "wsauth"), ("version", WSAuthVersion.string)]
        for (name, value) in added where !names.contains(name) {
            url = url.addingQueryItem(name: name, value: value)
        }
        return url
    }
}
