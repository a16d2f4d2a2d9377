import CLibFuzzer
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// The frame decoder and the connection state machine, fed what a hostile server could
/// send, split into arbitrary chunks, with and without permessage-deflate.
///
/// Input: one byte of settings, one byte that seeds the chunking, then the stream.
/// Settings: bit 0 negotiates permessage-deflate, bit 1 server_no_context_takeover,
/// bit 2 a small message limit (so that inflating past it is reachable), bit 3 the
/// server role (masked frames expected).
///
/// Beyond not crashing, two properties must hold: no message is delivered over the
/// limit, and how the stream is split changes nothing.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzConnection(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    guard size >= 2 else { return 0 }
    let settings = data[0]
    var seed = UInt64(data[1]) | 1
    let stream = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))

    let deflate =
        settings & 1 != 0
        ? DeflateParameters(serverNoContextTakeover: settings & 2 != 0, clientNoContextTakeover: settings & 2 != 0)
        : nil
    let limit = settings & 4 != 0 ? 1024 : 1 << 20
    let role: Role = settings & 8 != 0 ? .server : .client
    func connection() -> WebSocketConnection {
        WebSocketConnection(role: role, maxMessageSize: limit, deflate: deflate)
    }

    var whole = connection()
    let expected = whole.receive(stream)

    var chunked = connection()
    var events: [ConnectionEvent] = []
    var offset = 0
    while offset < stream.count {
        // xorshift: chunk sizes from 1 to 64 bytes, different for every seed byte.
        seed ^= seed << 13
        seed ^= seed >> 7
        seed ^= seed << 17
        let length = min(Int(seed % 64) + 1, stream.count - offset)
        events += chunked.receive(Array(stream[offset..<(offset + length)]))
        offset += length
    }

    for event in events {
        switch event {
        case .text(let text): precondition(text.utf8.count <= limit, "text message over the limit")
        case .binary(let bytes): precondition(bytes.count <= limit, "binary message over the limit")
        default: break
        }
    }
    precondition(events == expected, "chunking changed the events")
    precondition(chunked.state == whole.state && chunked.failure == whole.failure, "chunking changed the state")
    // The queued answers (pongs, closes) must encode; sending must not crash in any state.
    _ = chunked.takeOutbound()
    chunked.sendText("fuzz")
    chunked.sendBinary(stream.prefix(64).map { $0 })
    _ = chunked.close(code: .normalClosure)
    _ = chunked.takeOutbound()
    return 0
}

// libFuzzer's main is shadowed by SwiftPM's (see CLibFuzzer/driver.h): start it here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzConnection))
