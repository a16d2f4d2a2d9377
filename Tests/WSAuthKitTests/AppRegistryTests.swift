import Testing

@testable import WSAuthKit

@Suite("Application-protocol registry")
struct AppRegistryTests {
    @Test func everyProtocolIsRegisteredOnceUnderItsName() {
        #expect(
            AppRegistry.names == [
                "socketio", "graphql-ws", "graphql-ws-legacy", "stomp", "mqtt", "actioncable", "pusher",
            ]
        )
        #expect(Set(AppRegistry.names).count == AppRegistry.all.count)
        #expect(AppRegistry.named("stomp")?.name == "stomp")
        #expect(AppRegistry.named("STOMP") == nil)
    }

    @Test func eachDefinitionMakesSessionsThatSayTheirName() throws {
        for definition in AppRegistry.all {
            let configuration = try definition.configure(AppOptions(url: "ws://broker.example/ws"))
            let session = configuration.makeSession(Secret("tok"), nil)
            #expect(session.name == definition.name)
            #expect(session.subprotocols == configuration.subprotocols)
        }
    }

    @Test func theURLRuleIsTheProtocols() throws {
        let socketIO = try AppProtocolDefinition.socketIO.resolveURL("https://chat.example")
        #expect(socketIO.description == "wss://chat.example/socket.io/?EIO=4&transport=websocket")
        #expect(try AppProtocolDefinition.stomp.resolveURL("ws://b.example/ws").description == "ws://b.example/ws")
    }

    @Test func theSocketIOLabelAndDoctorHintNameTheNamespace() throws {
        var options = AppOptions(url: "ws://x")
        options.namespace = "admin"
        let configuration = try AppProtocolDefinition.socketIO.configure(options)
        #expect(configuration.label == "socketio /admin")
        #expect(configuration.doctorHint.contains("`--namespace`, now /admin"))
    }

    @Test func replCommandsParseTheirArgument() {
        let emit = AppProtocolDefinition.socketIO.replCommands.first { $0.name == "/emit" }
        #expect(emit?.parse("chat hi") == .line(#"["chat","hi"]"#))
        #expect(emit?.parse("") == nil)
        let subscribe = AppProtocolDefinition.stomp.replCommands.first { $0.name == "/subscribe" }
        #expect(subscribe?.parse("/topic/a") == .command(.subscribe("/topic/a")))
    }

    @Test func aSTOMPLoginNeedsAPasswordAndThePasscodeIsASecret() throws {
        var options = AppOptions(url: "ws://b.example/ws")
        options.user = "guest"
        #expect(throws: Failure.self) { try AppProtocolDefinition.stomp.configure(options) }
        options.password = Secret("pw")
        let configuration = try AppProtocolDefinition.stomp.configure(options)
        #expect(configuration.secrets == [Secret("pw")])
    }

    @Test(arguments: ["p\rw", "p\nw", "p\0w"])
    func aSTOMPPasscodeWithALineBreakOrNULIsRefusedWithoutQuotingIt(passcode: String) {
        do {
            _ = try STOMPSettings(host: "b", login: ("guest", Secret(passcode)))
            Issue.record("accepted")
        } catch {
            #expect(error.exitStatus == .usage)
            #expect(!error.message.contains(passcode))
            #expect(error.message.contains("CR, LF or NUL"))
        }
    }
}
