#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The redirect target of a native app's authorization request (RFC 8252 §7.3):
/// a listener on 127.0.0.1 with a port the system picks, which reads one HTTP
/// request line at a time and answers it with a short page. Plain sockets and
/// poll(2): the client links no server framework.
final class LoopbackListener {
    private var fd: Int32
    let port: UInt16
    /// A browser's speculative connection may send nothing: each one gets this long.
    static let requestTimeout = 5.0
    static let requestLimit = 8192

    init() throws(Failure) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else {
            throw Failure(.network, "cannot open the loopback redirect listener: \(LoopbackListener.errnoText())")
        }
        // The browser wsauth starts must not inherit the port and hold it open after wsauth exits.
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else {
            let reason = LoopbackListener.errnoText()
            Glibc.close(fd)
            throw Failure(.network, "cannot listen on 127.0.0.1 for the redirect: \(reason)")
        }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close() }

    /// Stops listening: the port is closed as soon as the redirect has come.
    func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    /// The next request's target (`/callback?code=…`) and its connection, or nil
    /// once `deadline` passes (monotonic: a wall-clock step neither ends nor
    /// prolongs the wait). A connection that sends no request line in time is
    /// dropped and the wait goes on.
    func nextRequest(deadline: Deadline) -> (target: String, connection: Int32)? {
        while let remaining = LoopbackListener.milliseconds(until: deadline) {
            guard LoopbackListener.wait(fd, milliseconds: remaining) else { continue }
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { continue }
            let requestDeadline = Deadline.earliest(deadline, .after(seconds: LoopbackListener.requestTimeout))
            if let target = LoopbackListener.readTarget(connection, deadline: requestDeadline) {
                return (target, connection)
            }
            Glibc.close(connection)
        }
        return nil
    }

    /// Answers with `status` and a short HTML page, then closes the connection.
    func respond(_ connection: Int32, status: String, page: String) {
        let body = Array("<!doctype html><meta charset=utf-8><title>wsauth</title><p>\(page)</p>\n".utf8)
        let head =
            "HTTP/1.1 \(status)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(body.count)\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n"
        let bytes = Array(head.utf8) + body
        _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        Glibc.close(connection)
    }

    private static func readTarget(_ connection: Int32, deadline: Deadline) -> String? {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        while received.count < requestLimit, let remaining = milliseconds(until: deadline) {
            if let end = received.firstRange(of: Array("\r\n".utf8)) {
                let parts = String(decoding: received[..<end.lowerBound], as: UTF8.self).split(separator: " ")
                return parts.count == 3 && parts[0] == "GET" ? String(parts[1]) : nil
            }
            guard wait(connection, milliseconds: remaining) else { continue }
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            received += chunk[..<count]
        }
        return nil
    }

    /// The next slice of the wait (at most a second), nil once `deadline` has passed.
    private static func milliseconds(until deadline: Deadline) -> Int32? {
        guard !deadline.hasPassed else { return nil }
        let left = deadline.pollTimeout
        return left < 0 ? 1000 : min(left, 1000)
    }

    private static func wait(_ fd: Int32, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, milliseconds) > 0
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
