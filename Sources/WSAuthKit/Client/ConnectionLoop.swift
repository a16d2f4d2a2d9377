#if canImport(Glibc)
import Glibc
#endif

/// The single event loop of design.md for one open WebSocket: `poll(2)` over the
/// socket, the input and the session machine's next deadline. It moves bytes,
/// lines and ticks into the machine and carries out what comes back; every
/// decision is the machine's.
final class ConnectionLoop {
    private let socket: OpenSocket
    private let input: SessionInput?
    private let output: SessionOutput
    /// Performs the app's HTTP requests (the driver's, with the host's credentials).
    private let appRequests: AppHTTPPerformer?
    /// `-m/--max-time`: a write may not outlast it.
    private let overallDeadline: Deadline
    private var readBuffer = [UInt8](repeating: 0, count: 256 * 1024)
    /// Empty between reads: the actions of one read, kept for its capacity (`drainSocket`).
    private var receivedActions: [SessionAction] = []
    /// False once input has ended (pipe mode's end of stdin) or when there is none.
    private var inputOpen: Bool
    private var nextTick: Deadline = .never
    /// What the machine asked for once the connection was over, for the driver.
    private var leftover: [SessionAction] = []

    init(
        socket: OpenSocket,
        input: SessionInput?,
        output: SessionOutput,
        overallDeadline: Deadline,
        appRequests: AppHTTPPerformer? = nil
    ) {
        self.socket = socket
        self.appRequests = appRequests
        self.input = input
        self.output = output
        self.overallDeadline = overallDeadline
        inputOpen = input?.fileDescriptor != nil
    }

    /// Runs until the machine leaves the connection; returns the actions that follow it.
    func run(_ machine: inout SessionMachine, first: [SessionAction]) throws(Failure) -> [SessionAction] {
        perform(first, &machine)
        while machine.isConnected {
            drainSocket(&machine)
            guard machine.isConnected else { break }
            perform(machine.timerFired(now: Clock.now()), &machine)
            guard machine.isConnected else { break }
            output.flush()
            try wait(&machine)
        }
        return leftover
    }

    private func wait(_ machine: inout SessionMachine) throws(Failure) {
        var entries = [pollfd(fd: socket.stream.socket, events: Int16(POLLIN), revents: 0)]
        let inputFD = inputOpen ? input?.fileDescriptor : nil
        if let inputFD { entries.append(pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0)) }
        if let interval = input?.tickInterval, nextTick == .never { nextTick = .after(seconds: interval) }
        try Poller.poll(&entries, deadline: .earliest(Deadline(instant: machine.nextDeadline), nextTick))
        if entries.count > 1, entries[1].revents != 0, let input {
            for action in input.readAvailable() {
                if action == .endOfInput { inputOpen = false }
                perform(machine.input(action, now: Clock.now()), &machine)
            }
        }
        if nextTick.hasPassed, let input {
            input.tick()
            nextTick = .never
        }
    }

    /// Reads until libcurl has nothing more (TLS may hold bytes the socket no longer shows).
    private func drainSocket(_ machine: inout SessionMachine) {
        while machine.isConnected {
            let read = machine.largePayloadRemaining > 0 ? readLargePayload(&machine) : readFrames(&machine)
            switch read {
            case .failure(let failure):
                return perform(machine.transportFailed(failure, now: Clock.now()), &machine)
            case .success(.closed):
                return perform(machine.transportEnded(now: Clock.now()), &machine)
            case .success(.wouldBlock):
                return
            case .success(.data):
                continue
            }
        }
    }

    /// One read into `readBuffer`, whose bytes the machine makes into messages.
    private func readFrames(_ machine: inout SessionMachine) -> Result<CurlStream.ReadResult, Failure> {
        let result: CurlStream.ReadResult
        do {
            result = try socket.stream.read(into: &readBuffer)
        } catch {
            return .failure(error)
        }
        if case .data(let count) = result {
            withReceivedActions { actions in
                readBuffer.withUnsafeBytes { bytes in
                    let read = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
                    machine.receive(read, now: Clock.now(), into: &actions)
                }
                perform(actions, &machine)
            }
        }
        return .success(result)
    }

    /// One read straight into the buffer of a large frame under way, so that a 64 MiB
    /// message is not copied out of `readBuffer` (issue 23), then what it completed is
    /// carried out.
    private func readLargePayload(_ machine: inout SessionMachine) -> Result<CurlStream.ReadResult, Failure> {
        var read = Result<CurlStream.ReadResult, Failure>.success(.wouldBlock)
        withReceivedActions { actions in
            _ = machine.receiveLargePayload(now: Clock.now(), into: &actions) { room in
                read = Result { () throws(Failure) in try socket.stream.read(into: room) }
                if case .success(.data(let count)) = read { return count }
                return 0
            }
            perform(actions, &machine)
        }
        return read
    }

    /// Lends `body` the array a read's actions go into, empty: swapped out while in use,
    /// so that it is unique when emptied and keeps its capacity from read to read.
    private func withReceivedActions(_ body: (inout [SessionAction]) -> Void) {
        var actions: [SessionAction] = []
        swap(&actions, &receivedActions)
        body(&actions)
        actions.removeAll(keepingCapacity: true)
        receivedActions = actions
    }

    /// How long a peer that broke the protocol may take to close after our close.
    static let peerCloseWait = 2.0

    /// Reads and drops what the peer still sends until it closes TCP, the wait bounded:
    /// `SessionAction.endConnection(awaitingPeer:)` says why.
    private func awaitPeerClose() {
        let deadline = Deadline.earliest(overallDeadline, .after(seconds: Self.peerCloseWait))
        while !deadline.hasPassed {
            let result: CurlStream.ReadResult
            do {
                result = try socket.stream.read(into: &readBuffer)
                if case .wouldBlock = result {
                    _ = try Poller.wait(fd: socket.stream.socket, events: Int16(POLLIN), deadline: deadline)
                }
            } catch {
                return
            }
            if case .closed = result { return }
        }
    }

    /// Carries out the connection's actions; what follows its end is kept for the driver.
    private func perform(_ actions: [SessionAction], _ machine: inout SessionMachine) {
        for action in actions {
            guard leftover.isEmpty else {
                leftover.append(action)
                continue
            }
            switch action {
            case .write(let bytes):
                do {
                    try socket.stream.write(bytes, deadline: .earliest(overallDeadline, .after(seconds: 30)))
                } catch {
                    perform(machine.transportFailed(error, now: Clock.now()), &machine)
                }
            case .emit(let event): output.emit(event)
            case .received(let payload): output.received(payload)
            case .receivedApp(let message): output.received(message)
            case .receivedFrame(let payload): output.receivedFrame(payload)
            case .endConnection(let awaitingPeer):
                if awaitingPeer { awaitPeerClose() }
                shutdown(socket.stream.socket, Int32(SHUT_RDWR))
            case .appRequest(let request):
                // Synchronous like a refresh: bounded by the transport's time limits.
                let answer =
                    appRequests?(request)
                    ?? AppHTTPAnswer(tag: request.tag, .failed("no HTTP client for the application protocol"))
                perform(machine.answered(answer, now: Clock.now()), &machine)
            case .connect, .refresh, .askPerson, .finish:
                leftover.append(action)
            }
        }
    }
}
