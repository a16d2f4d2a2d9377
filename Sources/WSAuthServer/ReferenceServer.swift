import Dispatch
import Glibc
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers

/// The reference auth server behind `wsauth serve` and `wsauth demo`: started and
/// stopped from synchronous code (the CLI's main thread), serving on background threads.
public final class ReferenceServer: Sendable {
    /// Why the server could not start.
    public enum StartError: Error, CustomStringConvertible {
        case bindFailed(host: String, port: Int, underlying: String)
        case notBound(host: String, port: Int)

        public var description: String {
            switch self {
            case .bindFailed(let host, let port, let underlying):
                "cannot listen on \(host):\(port): \(underlying)"
            case .notBound(let host, let port):
                "the server did not start listening on \(host):\(port) within 10s"
            }
        }
    }

    public let host: String
    /// The bound port (the kernel's pick when the configuration said 0).
    public let port: Int

    private let board: CounterBoard
    private let sockets: SocketRegistry
    private let running: Task<Void, Never>
    private let stopped: DispatchSemaphore
    private let stopOnce = NIOLockedValueBox(false)

    /// Where the endpoints are, for printing and for clients.
    public var baseURL: String { "http://\(hostForURL):\(port)" }
    public var loginURL: String { baseURL + "/auth/login" }
    public var refreshURL: String { baseURL + "/auth/refresh" }
    public var logoutURL: String { baseURL + "/auth/logout" }
    public var oauthTokenURL: String { baseURL + OAuthPaths.token }
    /// The issuer for `wsauth login --issuer` (its metadata at the well-known paths).
    public var issuerURL: String { baseURL }
    public var webSocketURL: String { "ws://\(hostForURL):\(port)\(WebSocketEndpoint.path)" }
    public var socketIOURL: String { "ws://\(hostForURL):\(port)\(SocketIOSocket.path)" }

    /// What the server has done so far.
    public var counters: ReferenceServerCounters { board.snapshot }

    private var hostForURL: String { host.contains(":") ? "[\(host)]" : host }

    private init(
        host: String,
        port: Int,
        board: CounterBoard,
        sockets: SocketRegistry,
        running: Task<Void, Never>,
        stopped: DispatchSemaphore
    ) {
        self.host = host
        self.port = port
        self.board = board
        self.sockets = sockets
        self.running = running
        self.stopped = stopped
    }

    /// Binds and starts serving; returns once the port is bound (at most 10 s). It
    /// blocks the calling thread, so call it from synchronous code such as the CLI's
    /// main thread, not from a task of the cooperative pool the server runs on.
    public static func start(_ configuration: ReferenceServerConfiguration) throws -> ReferenceServer {
        let board = CounterBoard()
        let sockets = SocketRegistry()
        let bound = NIOLockedValueBox<Result<Int, StartError>?>(nil)
        let boundSignal = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        let application = makeApplication(configuration, board: board, sockets: sockets) { port in
            bound.withLockedValue { $0 = .success(port) }
            boundSignal.signal()
        }
        let running = Task.detached {
            do {
                try await application.run()
            } catch {
                let failure = StartError.bindFailed(
                    host: configuration.host,
                    port: configuration.port,
                    underlying: "\(error)"
                )
                bound.withLockedValue { if $0 == nil { $0 = .failure(failure) } }
                boundSignal.signal()
            }
            stopped.signal()
        }
        _ = boundSignal.wait(timeout: .now() + .seconds(10))
        switch bound.withLockedValue({ $0 }) {
        case .success(let port):
            return ReferenceServer(
                host: configuration.host,
                port: port,
                board: board,
                sockets: sockets,
                running: running,
                stopped: stopped
            )
        case .failure(let failure):
            throw failure
        case nil:
            running.cancel()
            throw StartError.notBound(host: configuration.host, port: configuration.port)
        }
    }

    /// Closes open sockets with 1001, stops listening and waits (at most 10 s) until
    /// it is done. Safe to call more than once.
    public func shutdown() {
        let first = stopOnce.withLockedValue { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        sockets.closeAll()
        // Give clients a moment to answer the close frames (bounded: a client that
        // never answers must not hold the shutdown).
        let deadline = DispatchTime.now() + .seconds(2)
        while board.snapshot.openSockets > 0, DispatchTime.now() < deadline {
            usleep(20_000)
        }
        running.cancel()
        _ = stopped.wait(timeout: .now() + .seconds(10))
    }

    /// Serves until SIGINT or SIGTERM, then shuts down cleanly.
    public func runUntilSignal() {
        let wake = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { signalNumber in
            // Dispatch delivers the signal; the default action (terminate) must be off.
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { wake.signal() }
            source.resume()
            return source
        }
        let running = self.running
        Task.detached {
            await running.value
            wake.signal()
        }
        wake.wait()
        shutdown()
        for source in sources { source.cancel() }
        for signalNumber in [SIGINT, SIGTERM] { signal(signalNumber, SIG_DFL) }
    }

    private static func makeApplication(
        _ configuration: ReferenceServerConfiguration,
        board: CounterBoard,
        sockets: SocketRegistry,
        onBound: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        let log = ServerLog(sink: configuration.log)
        let auth = AuthService(configuration: configuration, counters: board)
        let authenticator = HandshakeAuthenticator(auth: auth, configuration: configuration)
        let endpoint = WebSocketEndpoint(
            authenticator: authenticator,
            socket: EchoSocket(
                authenticator: authenticator,
                registry: sockets,
                counters: board,
                log: log,
                closeOnExpiry: !configuration.noExpiryClose,
                authMessageTimeout: configuration.authMessageTimeout
            ),
            socketIO: SocketIOSocket(
                authenticator: authenticator,
                registry: sockets,
                counters: board,
                log: log,
                closeOnExpiry: !configuration.noExpiryClose,
                connectTimeout: configuration.authMessageTimeout
            ),
            counters: board,
            log: log
        )
        let router = Router()
        router.middlewares.add(RequestLogMiddleware(log: log))
        AuthRoutes(auth: auth, log: log).register(on: router)
        OAuthRoutes(auth: auth, log: log).register(on: router)
        router.get(RouterPath(WebSocketEndpoint.path)) { request, _ in endpoint.plainGet(request) }

        let upgradeConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: .init(idleTimeout: .seconds(60)),
            ws: .init(maxFrameSize: EchoSocket.maxMessageSize, closeTimeout: EchoSocket.closeHandshakeTimeout)
        )
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(configuration: upgradeConfiguration) { head, channel, _ in
                await endpoint.shouldUpgrade(head, channel: channel)
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in onBound(channel.localAddress?.port ?? configuration.port) },
            // The framework's own log would print unredacted details; ours is `configuration.log`.
            logger: Logger(label: "wsauth.serve") { _ in SwiftLogNoOpLogHandler() }
        )
    }
}
