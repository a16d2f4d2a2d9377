#if canImport(Glibc)
import Glibc
#endif

/// Runs a session from the first handshake to its exit status: carries out what
/// the `SessionMachine` asks (handshakes, refreshes, the REPL's choice, waiting)
/// and hands each open connection to a `ConnectionLoop`.
public final class SessionDriver {
    public var plan: (Secret?) -> HandshakePlan
    public var token: Secret?
    public let transport: TransportOptions
    public let script: SessionScript
    public var output: SessionOutput
    public let redactor: Redactor
    public var reconnect: ReconnectPolicy?
    public var refresher: TokenRefresher?
    public var tokenPlacement: TokenPlacement?
    /// `--app`: the application protocol spoken over each connection.
    public var app: AppSessionFactory?
    /// `--app`: performs the protocol's HTTP requests, attaching the credentials
    /// that belong to each request's host (the one place that decides it).
    public var appRequests: AppHTTPPerformer?
    /// How far the script got, once `run` has returned (for the CI reports).
    public private(set) var progress = ScriptProgress()
    private let deadline: Deadline

    public init(
        plan: @escaping (Secret?) -> HandshakePlan,
        token: Secret?,
        transport: TransportOptions,
        script: SessionScript,
        output: SessionOutput,
        redactor: Redactor
    ) {
        self.plan = plan
        self.token = token
        self.transport = transport
        self.script = script
        self.output = output
        self.redactor = redactor
        deadline = .after(transport.maxTime)
    }

    /// nil on success, else the failure that ends the command.
    /// `input`: pipe-mode stdin, the REPL, or nil (probe).
    public func run(input: SessionInput?) -> Failure? {
        let configuration = SessionConfiguration(
            script: script,
            reconnect: reconnect,
            canRefresh: refresher != nil,
            hasInput: input?.fileDescriptor != nil,
            maxTime: transport.maxTime,
            app: app
        )
        var machine = SessionMachine(configuration: configuration, token: token, now: Clock.now())
        defer { progress = machine.scriptProgress }
        var actions = machine.start()
        do throws(Failure) {
            while true {
                var next: [SessionAction] = []
                for action in actions {
                    if case .finish(let failure) = action { return failure }
                    next += try perform(action, &machine, input: input)
                }
                if next.isEmpty {
                    // Between connections (the backoff): nothing to do until the machine's deadline.
                    guard let wake = machine.nextDeadline else { return Failure(.internal, "the session stalled") }
                    output.flush()
                    var nothing: [pollfd] = []
                    try Poller.poll(&nothing, deadline: Deadline(instant: wake))
                    next = machine.timerFired(now: Clock.now())
                }
                actions = next
            }
        } catch {
            return error
        }
    }

    private func perform(
        _ action: SessionAction,
        _ machine: inout SessionMachine,
        input: SessionInput?
    ) throws(Failure) -> [SessionAction] {
        switch action {
        case .connect(let token, let deadline):
            return try connect(token: token, deadline: Deadline(instant: deadline), &machine, input: input)
        case .refresh:
            do throws(Failure) {
                let fresh = try refresher?()
                if let fresh {
                    token = fresh
                    redactor.register(token: fresh)
                }
                return machine.refreshed(fresh, now: Clock.now())
            } catch {
                return machine.refreshFailed(error)
            }
        case .askPerson(let failure):
            return machine.personChose(input?.nextConnection(after: failure), now: Clock.now())
        case .emit(let event):
            output.emit(event)
        case .received(let payload):
            output.received(payload)
        case .receivedApp(let message):
            output.received(message)
        case .receivedFrame(let payload):
            output.receivedFrame(payload)
        case .write, .endConnection, .finish, .appRequest:
            // Only while a connection is open (the loop's) or handled by `run`.
            break
        }
        return []
    }

    private func connect(
        token: Secret?,
        deadline: Deadline,
        _ machine: inout SessionMachine,
        input: SessionInput?
    ) throws(Failure) -> [SessionAction] {
        let handshakePlan = plan(token)
        let outcome: HandshakeOutcome
        // Without -m/--timeout the handshake still has its bound (docs/waits.md).
        let bounded = deadline == .never ? Deadline.after(HandshakeBound.standard) : deadline
        do throws(Failure) {
            outcome = try HandshakeRunner.open(
                handshakePlan,
                transport: transport,
                maxMessageSize: script.maxMessageSize,
                deadline: bounded,
                runDeadline: deadline,
                tokenPlacement: token == nil ? nil : tokenPlacement
            )
        } catch {
            return machine.connectFailed(error, now: Clock.now())
        }
        switch outcome {
        case .rejected(let rejection):
            return machine.handshakeRefused(rejection, now: Clock.now())
        case .open(let socket):
            let first = machine.handshakeOpened(
                socket.report,
                connection: socket.connection,
                early: socket.pendingInput,
                authMessage: handshakePlan.authMessage,
                now: Clock.now()
            )
            let loop = ConnectionLoop(
                socket: socket,
                input: input,
                output: output,
                overallDeadline: self.deadline,
                appRequests: appRequests
            )
            return try loop.run(&machine, first: first)
        }
    }
}
