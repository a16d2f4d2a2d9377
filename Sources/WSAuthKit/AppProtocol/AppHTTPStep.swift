/// An HTTP request an application protocol needs between or after the
/// handshakes (Pusher's channel authorization, SignalR's negotiate). The protocol
/// asks with `AppAction.request`; the driver performs it, attaching the
/// credentials that belong to the request's host in one place (never the
/// protocol), and hands the answer back through `AppSession.answered`,
/// so that the session stays sans-IO.
public struct AppHTTPRequest: Sendable, Equatable {
    /// The protocol's own tag, echoed in the answer (a channel name …).
    public var tag: String
    public var method: String
    public var url: String
    /// Headers of the protocol's own (Content-Type …); credentials are the driver's.
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(tag: String, method: String = "POST", url: String, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.tag = tag
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// What came of an `AppHTTPRequest`.
public struct AppHTTPAnswer: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case response(status: Int, headers: [HTTPHeader], body: [UInt8])
        /// No answer: DNS, TCP, TLS or the time bound; the message says which.
        case failed(String)
    }

    public var tag: String
    public var outcome: Outcome

    public init(tag: String, _ outcome: Outcome) {
        self.tag = tag
        self.outcome = outcome
    }
}

/// Performs a protocol's HTTP request with the credentials of its host.
public typealias AppHTTPPerformer = (AppHTTPRequest) -> AppHTTPAnswer

/// Performs it with a given token in place of the session's (audit's and doctor's
/// probes, each presenting one credential; nil or empty for none).
public typealias AppCredentialHTTPPerformer = (AppHTTPRequest, Secret?) -> AppHTTPAnswer

/// The performer for one probe's credential.
func performer(_ requests: AppCredentialHTTPPerformer?, token: Secret?) -> AppHTTPPerformer? {
    guard let requests else { return nil }
    let presented = token?.reveal().isEmpty == false ? token : nil
    return { requests($0, presented) }
}
