extension AppProtocolDefinition {
    /// `--app graphql-ws`: graphql-transport-ws (docs/protocols.md).
    public static let graphQLWS = AppProtocolDefinition(
        name: "graphql-ws",
        summary: "graphql-transport-ws of graphql-ws, Apollo, Hasura, Strawberry; the token goes in connection_init",
        defaultAuthMessage: GraphQLWSProtocol.defaultAuthTemplate,
        configure: { options throws(Failure) in
            try GraphQLWSProtocol.checkAuthTemplate(options.authTemplate)
            let template = options.authTemplate
            return AppConfiguration(subprotocols: GraphQLWSProtocol(token: nil).subprotocols, label: "graphql-ws") {
                token,
                timeout in
                GraphQLWSProtocol(
                    authTemplate: template,
                    token: token,
                    handshakeTimeout: timeout ?? GraphQLWSProtocol.defaultHandshakeTimeout
                )
            }
        },
        rendering: .graphQL,
        replCommands: AppReplCommand.graphQL
    )

    /// `--app graphql-ws-legacy`: subscriptions-transport-ws (docs/protocols.md).
    public static let graphQLWSLegacy = AppProtocolDefinition(
        name: "graphql-ws-legacy",
        summary: "subscriptions-transport-ws, the graphql-ws subprotocol; the token goes in connection_init",
        defaultAuthMessage: GraphQLWSProtocol.defaultAuthTemplate,
        configure: { options throws(Failure) in
            try GraphQLWSProtocol.checkAuthTemplate(options.authTemplate)
            let template = options.authTemplate
            return AppConfiguration(
                subprotocols: GraphQLWSLegacyProtocol(token: nil).subprotocols,
                label: "graphql-ws-legacy"
            ) { token, timeout in
                GraphQLWSLegacyProtocol(
                    authTemplate: template,
                    token: token,
                    handshakeTimeout: timeout ?? GraphQLWSProtocol.defaultHandshakeTimeout
                )
            }
        },
        rendering: .graphQL,
        replCommands: AppReplCommand.graphQL
    )
}

extension AppRendering {
    /// A result `1 {…}` with its payload pretty-printed; what we started or ended.
    static let graphQL = AppRendering(
        received: { message, redactor in
            GraphQLShown.isResult(message)
                ? GraphQLShown.shown(message, redactor: redactor) : AppRendering.labelled(message, redactor)
        },
        sent: { payload in
            guard case .text(let text) = payload else { return nil }
            return GraphQLShown.sentOperation(text)
        }
    )
}

extension AppReplCommand {
    static let graphQL = [
        AppReplCommand.subscribe("QUERY", help: "start a GraphQL operation (subscription, query or mutation)"),
        AppReplCommand.complete("ID", help: "end that operation"),
    ]
}
