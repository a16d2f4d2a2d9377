import CLibFuzzer
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// JSON from servers (login answers, token endpoints, messages): any bytes must parse or
/// fail cleanly, and what parses must print as JSON that parses back to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONValue.parse(bytes) else { return 0 }
    let printed = value.serialized()
    guard let reparsed = try? JSONValue.parse(printed) else {
        fatalError("serialized JSON does not parse: \(printed)")
    }
    precondition(reparsed == value, "JSON changed through a round trip: \(printed)")
    return 0
}

// libFuzzer's main is shadowed by SwiftPM's (see CLibFuzzer/driver.h): start it here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzJSON))
