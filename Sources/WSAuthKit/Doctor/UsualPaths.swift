/// The paths servers of each application protocol usually listen on, tried on a 404
/// (docs/doctor.md). One table, keyed by the `--app` name, so that it can move into
/// the protocol registry.
public enum UsualPaths {
    public static func paths(app: String?) -> [String] {
        switch app {
        case nil: ["/ws", "/websocket"]
        case "socketio": ["/socket.io/"]
        case "actioncable": ["/cable"]
        case "graphql-ws", "graphql-ws-legacy": ["/graphql", "/subscriptions"]
        case "stomp": ["/ws", "/websocket", "/stomp"]
        case "mqtt": ["/mqtt"]
        default: []
        }
    }
}
