import CLibFuzzer
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// Both GraphQL WebSocket protocols fed a server's messages, the person's lines and
/// REPL commands: no input may crash them, everything they put on the wire must be
/// a JSON object (both protocols speak only those), and every delivered result must
/// be JSON. A reconnect that takes over the session must keep both promises too.
///
/// Input: the first byte picks the protocol (even: graphql-transport-ws, odd:
/// subscriptions-transport-ws) and the next two the server's close code; the rest is
/// lines: `>LINE` is input, `/s DOC` and `/c ID` are REPL commands, anything else a
/// message from the server.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzGraphQL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size >= 3 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let legacy = bytes[0] & 1 == 1
    let code = UInt16(bytes[1]) << 8 | UInt16(bytes[2])
    func make() -> any AppSession {
        legacy ? GraphQLWSLegacyProtocol(token: Secret("t\"\\")) : GraphQLWSProtocol(token: Secret("t\"\\"))
    }
    var app = make()
    check(app.start(now: 0))
    for (index, line) in bytes[3...].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
    {
        let now = Double(index)
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix(">") {
            check(app.send(String(text.dropFirst()), now: now))
        } else if text.hasPrefix("/s ") {
            check(app.command(.subscribe(String(text.dropFirst(3))), now: now))
        } else if text.hasPrefix("/c ") {
            check(app.command(.complete(String(text.dropFirst(3))), now: now))
        } else if String(validating: line, as: UTF8.self) == nil {
            check(app.receive(.binary(Array(line)), now: now))
        } else {
            check(app.receive(.text(text), now: now))
        }
        check(app.timerFired(now: now + 0.5))
    }
    _ = app.closeVerdict(code: code, reason: "fuzz")
    var next = make()
    next.takeOver(from: app)
    check(next.start(now: 0))
    check(next.receive(.text(#"{"type":"connection_ack"}"#), now: 0))
    check(app.finish(now: 1000))
    return 0
}

func check(_ actions: [AppAction]) {
    for action in actions {
        switch action {
        case .transmit(.text(let text), _):
            guard case .object? = try? JSONValue.parse(text) else {
                fatalError("sent a frame that is not a JSON object: \(text)")
            }
        case .transmit(.binary, _):
            fatalError("a GraphQL protocol sent a binary frame")
        case .deliver(let message):
            precondition(
                (try? JSONValue.parse(message.text)) != nil,
                "delivered a result that is not JSON: \(message.text)"
            )
        default:
            break
        }
    }
}

// libFuzzer's main is shadowed by SwiftPM's (see CLibFuzzer/driver.h): start it here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzGraphQL))
