/// What the session asks its driver to do; the driver carries the actions out in order.
public enum SessionAction: Sendable {
    /// Open a connection presenting this token; the handshake must end by `deadline`
    /// (monotonic seconds, nil for none).
    case connect(token: Secret?, deadline: Double?)
    /// Bytes for the socket, in order.
    case write([UInt8])
    /// Rare next to messages, and large: boxed, so that every action is small to copy.
    indirect case emit(Event)
    /// A data message for stdout (or a `message` event).
    case received(MessagePayload)
    /// An application message (`--app`) for stdout (or a `message` event).
    indirect case receivedApp(AppMessage)
    /// `--app`: a data message as it came off the wire, before the protocol read it
    /// (an Engine.IO ping `2`, a `42[…]` event): only the REPL's `/raw` shows it.
    case receivedFrame(MessagePayload)
    /// `--app`: perform this HTTP request with the credentials of its host and
    /// answer with `SessionMachine.answered` (the HTTP step of the app seam).
    indirect case appRequest(AppHTTPRequest)
    /// Get a fresh token; answer with `refreshed` or `refreshFailed`.
    case refresh
    /// The connection is over: end TCP now rather than when the socket is released,
    /// for the REPL may wait long for the person while the server waits for us
    /// (RFC 6455 §7.1.1). `awaitingPeer`: we failed the connection (the peer broke the
    /// protocol, or sent a message over the limit) and our close is out but the peer may
    /// still be sending; its bytes are read and dropped until it closes TCP (at most
    /// `ConnectionLoop.peerCloseWait`), for ending ours with them unread is a TCP reset,
    /// which destroys our close before the peer reads it: it would record 1006, not 1009.
    case endConnection(awaitingPeer: Bool)
    /// The connection is over and `--reconnect` will not retry: the REPL lets the
    /// person choose (`personChose`); `failure` is a connect error not yet reported.
    indirect case askPerson(after: Failure?)
    /// The session is over: nil is success (exit 0).
    indirect case finish(Failure?)
}

/// Makes the application protocol for one connection, from the token then in use
/// (a reconnect after a refresh puts the new token in the app's auth payload).
public typealias AppSessionFactory = @Sendable (Secret?) -> any AppSession
