import CLibFuzzer
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// The redactor (docs/redaction.md) on an arbitrary secret and an arbitrary text: the
/// input up to its first NUL is the secret, the rest the text. Whatever the two are,
/// redacting must not crash or hang, and the output — of text and of binary — must not
/// hold the secret as it is. Only for secrets of 8 characters or more: a shorter one is
/// matched only as a whole value, so it may stand inside a word.
///
/// Our own `…(redacted, N chars)` is cut out of the output first, replaced by 0xFF (no
/// byte of a String's UTF-8): the marker is no leak, and cutting it without a stand-in
/// would join its two neighbours into something the text never held.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzRedactor(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parts = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else { return 0 }
    let secret = String(decoding: parts[0], as: UTF8.self)
    let text = Array(parts[1])
    guard !secret.isEmpty else { return 0 }
    let redactor = Redactor(showSecrets: false)
    redactor.register(Secret(secret))
    let shownText = Array(redactor.text(String(decoding: text, as: UTF8.self)).utf8)
    let shownBytes = redactor.bytes(text)
    _ = redactor.shown(String(decoding: text, as: UTF8.self))
    guard secret.count >= 8 else { return 0 }
    let needle = Array(secret.utf8)
    for output in [shownText, shownBytes] {
        precondition(!contains(withoutMarkers(output), needle), "the secret survived redaction")
    }
    return 0
}

private let markerStart = Array("…(redacted, ".utf8)
private let markerEnd = Array(" chars)".utf8)

private func withoutMarkers(_ output: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var index = 0
    while index < output.count {
        if output[index...].starts(with: markerStart) {
            var end = index + markerStart.count
            while end < output.count, (0x30...0x39).contains(output[end]) { end += 1 }
            if output[end...].starts(with: markerEnd) {
                out.append(0xFF)
                index = end + markerEnd.count
                continue
            }
        }
        out.append(output[index])
        index += 1
    }
    return out
}

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard haystack.count >= needle.count else { return false }
    return (0...(haystack.count - needle.count)).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
}

// libFuzzer's main is shadowed by SwiftPM's (see CLibFuzzer/driver.h): start it here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzRedactor))
