import CLibFuzzer
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// JWT decoding as `wsauth token --decode` and login do it, on tokens from servers.
///
/// The input is used twice: as a token, and (split at the first NUL) as the JSON of a
/// header and claims put into a well-formed token, so that the claim handling (dates,
/// user, summary) is reached without the fuzzer having to discover base64url.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzJWT(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let asToken = String(decoding: bytes, as: UTF8.self)
    let parts = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    let built = parts.map { Base64.encodeURLUnpadded($0) }.joined(separator: ".") + ".c2ln"
    let now = Timestamp(timeIntervalSince1970: 1_800_000_000)
    for token in [asToken, built] {
        let report = TokenReport.describe(Secret(token), now: now)
        guard let jwt = JWT.decode(token) else {
            precondition(report.opaque, "describe and decode disagree")
            continue
        }
        _ = (jwt.expiresAt, jwt.issuedAt, jwt.notBefore, jwt.user, jwt.summary)
    }
    return 0
}

// libFuzzer's main is shadowed by SwiftPM's (see CLibFuzzer/driver.h): start it here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzJWT))
