/// An armed socket's registration with the session store, undone when the socket
/// ends: logout or revocation closes /ws with 4003 and ends a Socket.IO session with `41`.
struct SessionWatch {
    let sessions: SessionStore
    let sessionID: String
    let key: UInt64?
    let subject: String

    func detach() {
        if let key { sessions.detachSocket(key, from: sessionID) }
    }
}
