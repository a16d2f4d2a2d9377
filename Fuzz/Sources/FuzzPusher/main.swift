import CLibFuzzer
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// Pusher protocol 7 messages from a server (`--app pusher`): every text goes
/// through the session in each phase (before `connection_established`, waiting
/// for the authorization, subscribing, open), and as the authorization endpoint's
/// answer, without a crash; the same text as a `--channel` argument either fails as
/// a usage error or names a channel that reads back as itself.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzPusher(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    if let channel = try? PusherChannel(text) {
        precondition((try? PusherChannel(channel.name)) == channel, "a channel name that does not read back as itself")
    }
    guard let settings = try? PusherSettings(channels: ["private-chat", "lobby"], authURL: "http://127.0.0.1/auth")
    else { return 0 }
    let established =
        #"{"event":"pusher:connection_established","#
        + #""data":"{\"socket_id\":\"1.2\",\"activity_timeout\":1}"}"#
    let lobby = #"{"event":"pusher_internal:subscription_succeeded","channel":"lobby","data":"{}"}"#
    let chat = #"{"event":"pusher_internal:subscription_succeeded","channel":"private-chat","data":"{}"}"#
    for (prefix, authorize) in [
        ([], false), ([established], false), ([established, lobby], true),
        ([established, lobby, chat], true),
    ] {
        var app = PusherProtocol(settings, handshakeTimeout: 10)
        _ = app.start(now: 0)
        for message in prefix { _ = app.receive(.text(message), now: 1) }
        if authorize {
            let answer = AppHTTPAnswer(tag: "private-chat", .response(status: 200, headers: [], body: bytes))
            _ = app.answered(answer, now: 1)
        }
        _ = app.receive(.text(text), now: 2)
        _ = app.receive(.binary(bytes), now: 2)
        _ = app.send(text, now: 2)
        _ = app.command(.subscribe(text), now: 3)
        _ = app.command(.complete(text), now: 3)
        _ = app.closeVerdict(code: 4009, reason: text)
        _ = app.timerFired(now: 5)
        _ = app.timerFired(now: 40)
        _ = app.finish(now: 41)
    }
    return 0
}

// libFuzzer's main is shadowed by SwiftPM's (see CLibFuzzer/driver.h): start it here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzPusher))
