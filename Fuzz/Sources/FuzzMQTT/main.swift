import CLibFuzzer
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// MQTT packets from a broker (`--app mqtt`): the parser must answer every input
/// with packets or `MQTTMalformed`, and the same bytes split at any point must
/// give the same packets (MQTT 5.0 §6.0: packets are not aligned on WebSocket
/// messages). The bytes then go through the protocol, connected, as the broker's.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzMQTT(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for version in [MQTTVersion.v311, .v5] {
        var whole = MQTTParser(version: version)
        let packets = try? whole.feed(bytes)
        if let packets {
            var split = MQTTParser(version: version)
            let cut = bytes.count / 2
            let again = (try? split.feed(Array(bytes[..<cut]))).flatMap { first in
                (try? split.feed(Array(bytes[cut...]))).map { first + $0 }
            }
            precondition(again == packets, "the same bytes split in two give other packets")
        }
        guard let settings = try? MQTTSettings(version: version, clientID: "fuzz", keepAlive: 1, subscriptions: ["t/#"])
        else { return 0 }
        var app = MQTTProtocol(settings, token: nil)
        _ = app.start(now: 0)
        _ = app.receive(.binary([0x20, 0x02, 0x00, 0x00]), now: 1)
        _ = app.receive(.binary(bytes), now: 2)
        _ = app.timerFired(now: 3)
        _ = app.finish(now: 4)
    }
    return 0
}

// libFuzzer's main is shadowed by SwiftPM's (see CLibFuzzer/driver.h): start it here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzMQTT))
