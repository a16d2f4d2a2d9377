/// What a session is asked to do and with what it can recover.
public struct SessionConfiguration: Sendable {
    public var script: SessionScript
    public var reconnect: ReconnectPolicy?
    /// Whether a refresh can get a new token (a stored refresh token, `--token-file`).
    public var canRefresh: Bool
    /// Whether input may still come (stdin, the REPL); false for a probe.
    public var hasInput: Bool
    /// `-m/--max-time`, from the start of the command.
    public var maxTime: TimeSpan?
    /// `--app`: made anew for each connection.
    public var app: AppSessionFactory?
    /// The backoff's jitter factor (ReconnectPolicy); fixed in tests.
    public var jitter: @Sendable () -> Double = { Double.random(in: 0.75...1.25) }

    public init(
        script: SessionScript,
        reconnect: ReconnectPolicy? = nil,
        canRefresh: Bool = false,
        hasInput: Bool = false,
        maxTime: TimeSpan? = nil,
        app: AppSessionFactory? = nil
    ) {
        self.script = script
        self.reconnect = reconnect
        self.canRefresh = canRefresh
        self.hasInput = hasInput
        self.maxTime = maxTime
        self.app = app
    }
}
