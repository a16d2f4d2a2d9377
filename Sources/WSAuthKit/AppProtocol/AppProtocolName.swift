/// The application protocols `--app` names (docs/reference/behaviour.md "Application protocols").
public enum AppProtocolName: String, CaseIterable, Sendable {
    case socketio
    case graphqlWS = "graphql-ws"
    case graphqlWSLegacy = "graphql-ws-legacy"
    case stomp
}
