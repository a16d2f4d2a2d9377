/// The application protocols `--app` knows, in the order help lists them.
/// Adding one is one line here (CONTRIBUTING.md "Add a protocol").
public enum AppRegistry {
    public static let all: [AppProtocolDefinition] = [
        .socketIO,
        .graphQLWS,
        .graphQLWSLegacy,
        .stomp,
        .mqtt,
        .actionCable,
        .pusher,
    ]

    public static func named(_ name: String) -> AppProtocolDefinition? {
        all.first { $0.name == name }
    }

    public static var names: [String] { all.map(\.name) }

    /// The meanings protocols give to `code` (`wsauth codes`).
    public static func meanings(
        of code: Int,
        in space: AppCodeMeaning.Space = .close
    ) -> [(app: String, meaning: AppCodeMeaning)] {
        all.flatMap { definition in
            definition.codeMeanings.filter { $0.covers(code) && $0.space == space }.map { (definition.name, $0) }
        }
    }
}
