import ArgumentParser
import WSAuthKit

/// The root command: a place to hang the subcommands, one file each.
///
/// Every subcommand names itself (`commandName:`): without it ArgumentParser derives
/// each name with `String(describing:)` when it builds the command tree, a protocol
/// conformance scan per type — a third of `wsauth --version`'s instructions (issue 13).
struct WSAuth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wsauth",
        abstract: "Debug how WebSocket connections authenticate.",
        discussion: """
            Log in, refresh and inspect tokens, open a WebSocket with a token in any \
            placement, watch what the server does when the token expires, and turn it \
            into a CI smoke test. Exit codes: 0 ok, 1 internal, 2 auth rejected, \
            3 handshake/protocol, 4 network/TLS, 5 timeout/expectation, 6 other close \
            code, 7 audit failure, 64 usage.
            """,
        version: WSAuthVersion.string,
        subcommands: [
            Login.self, Refresh.self, TokenCommand.self, Status.self, Logout.self, Probe.self, Connect.self, Audit.self,
            Doctor.self, Codes.self, Serve.self, Demo.self,
        ]
    )
}
