import CLibFuzzer
import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// The server's answer to the upgrade request: the response head parser, fed in pieces,
/// then the client's validation (RFC 6455 §4.1) including the permessage-deflate answer
/// (RFC 7692 §7.1).
///
/// Random bytes almost never carry the right Sec-WebSocket-Accept, which validation
/// checks before extensions and subprotocols, so every parsed head is validated twice:
/// as received, and with the expected accept put in, so that the later rules are reached.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzHandshake(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    // The first byte says where to split the rest, to exercise the resumable search for
    // the blank line that ends the head.
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var parser = ResponseHeadParser(maxHeadSize: 8 * 1024)
    let cut = min(Int(data[0]), bytes.count)
    parser.append(Array(bytes[..<cut]))
    var parsed = try? parser.parse()
    if parsed == nil {
        parser.append(Array(bytes[cut...]))
        parsed = try? parser.parse()
    }
    guard let (head, _) = parsed else { return 0 }

    let request = HandshakeRequest(
        host: "example.com",
        port: 8080,
        secure: false,
        resource: "/ws",
        key: "dGhlIHNhbXBsZSBub25jZQ==",
        subprotocols: ["chat", "superchat"],
        extensions: [DeflateParameters.offer]
    )
    _ = try? request.validate(head)

    var accepted = head
    accepted.headers.removeAll { $0.name.lowercased() == "sec-websocket-accept" }
    accepted.headers.append(HTTPHeader(name: "Sec-WebSocket-Accept", value: request.expectedAccept))
    if let negotiated = try? request.validate(accepted), let deflate = negotiated.deflate {
        for bits in [deflate.serverMaxWindowBits, deflate.clientMaxWindowBits].compactMap({ $0 }) {
            precondition((8...15).contains(bits), "window bits \(bits) accepted")
        }
        // What was accepted must drive a connection.
        var connection = WebSocketConnection(role: .client, maxMessageSize: 1024, deflate: deflate)
        connection.sendText("Hello")
        _ = connection.receive([0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00])
    }
    return 0
}

// libFuzzer's main is shadowed by SwiftPM's (see CLibFuzzer/driver.h): start it here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzHandshake))
