import CLibFuzzer
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// Action Cable messages from a server (`--app actioncable`): every text goes
/// through the session in each phase (before `welcome`, subscribing, open) without
/// a crash, and the same text as a `--channel` argument either fails as a usage
/// error or gives an identifier that reads back as itself (the server answers
/// with that exact string, so it must be stable).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzActionCable(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let channel = try? ActionCableChannel(text) {
        precondition(
            (try? ActionCableChannel(channel.identifier)) == channel,
            "an identifier that does not read back as itself"
        )
    }
    guard let chat = try? ActionCableChannel("ChatChannel") else { return 0 }
    let welcome = #"{"type":"welcome"}"#
    let confirm = #"{"identifier":"{\"channel\":\"ChatChannel\"}","type":"confirm_subscription"}"#
    for prefix in [[], [welcome], [welcome, confirm]] {
        var app = ActionCableProtocol(channels: [chat], handshakeTimeout: 10)
        _ = app.start(now: 0)
        for message in prefix { _ = app.receive(.text(message), now: 1) }
        _ = app.receive(.text(text), now: 2)
        _ = app.send(text, now: 2)
        _ = app.command(.subscribe(text), now: 3)
        _ = app.closeVerdict(code: 1006, reason: "")
        _ = app.timerFired(now: 20)
        _ = app.finish(now: 21)
    }
    return 0
}

// libFuzzer's main is shadowed by SwiftPM's (see CLibFuzzer/driver.h): start it here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzActionCable))
