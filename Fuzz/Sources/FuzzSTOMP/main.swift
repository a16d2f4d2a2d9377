import CLibFuzzer
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// STOMP frames from a server (`--app stomp`): the parser must answer every input
/// with frames or a `STOMPFrameError`, and what it parsed must survive our own
/// encoding (STOMP 1.2 "Value Encoding"; CONNECT/CONNECTED are not escaped, so a
/// CR at the end of their values cannot round-trip and they are left out). The
/// same bytes then go through the protocol, connected, as a server's message.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzSTOMP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let items = try? STOMPParser.parse(bytes) {
        for case .frame(let frame) in items where frame.command != "CONNECT" && frame.command != "CONNECTED" {
            var expected = frame
            if !frame.body.isEmpty, frame["content-length"] == nil {
                expected.headers.append(.init("content-length", String(frame.body.count)))
            }
            let again = try? STOMPParser.parse(frame.encoded())
            precondition(again == [.frame(expected)], "a parsed frame does not survive encoding")
        }
    }
    guard let settings = try? STOMPSettings(host: "h", heartBeat: 1000) else { return 0 }
    var app = STOMPProtocol(settings, token: nil)
    _ = app.start(now: 0)
    _ = app.receive(.text("CONNECTED\nversion:1.2\nheart-beat:1000,1000\n\n\u{0}"), now: 1)
    _ = app.receive(.binary(bytes), now: 2)
    _ = app.timerFired(now: 3)
    return 0
}

// libFuzzer's main is shadowed by SwiftPM's (see CLibFuzzer/driver.h): start it here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzSTOMP))
