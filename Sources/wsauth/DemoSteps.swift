import WSAuthKit

/// The steps of `wsauth demo` over a plain WebSocket: 1–3 log in and probe, 4–6 expiry,
/// refresh and reconnect, 9 logout.
extension DemoScript {
    /// Steps 1–3; returns the access token of the login.
    func logInAndProbe(_ server: ServerProcess, store: CredentialStore, wsURL: WebSocketURL) throws(Failure) -> Secret {
        say(
            1,
            "A server that wants a token",
            """
            A reference auth server is listening on \(server.baseURL) (wsauth-serve, loopback only).
            It hands out JWT access tokens that live \(ttl), refresh tokens that rotate on every use,
            and a WebSocket at \(server.webSocketURL) that checks the token at the handshake.
            """
        )

        say(2, "Log in", "wsauth login \(server.loginURL) --user \(user) --password-stdin")
        let login = try LoginFlow(store: store, transport: TransportOptions()).run(
            LoginRequest(
                url: server.loginURL,
                body: .credentials(user: user, password: password, form: false),
                webSocket: wsURL,
                refresh: RefreshEndpoint(url: server.refreshURL, style: .json)
            ),
            emit: emit
        )
        guard let firstToken = login.accessToken else {
            throw Failure(.handshake, "the demo server's login answer held no access token")
        }
        output.redactor.register(token: firstToken)
        if let refreshToken = login.refreshToken { output.redactor.register(refreshToken) }
        note(
            """
            The tokens are stored (mode 0600) and shown redacted: a short prefix tells tokens apart,
            the rest never reaches a terminal or a CI log unless you pass --show-secrets.
            """
        )

        say(3, "Probe the handshake", "wsauth probe \(server.webSocketURL)")
        output.probeReport = true
        if let failure = session(wsURL, token: firstToken, script: SessionScript()).run(input: nil) { throw failure }
        output.probeReport = false
        note(
            """
            101 Switching Protocols: the server took the token from the Authorization header. wsauth checked
            Sec-WebSocket-Accept (RFC 6455 §4.2.2) and compared the server's clock with ours: a skewed clock
            makes tokens expire early or late.
            """
        )
        return firstToken
    }

    /// Steps 4–6; returns the refreshed access token.
    func expireAndRefresh(
        _ server: ServerProcess,
        store: CredentialStore,
        wsURL: WebSocketURL,
        token firstToken: Secret
    ) throws(Failure) -> Secret {
        say(
            4,
            "Talk, and watch the token expire",
            """
            wsauth connect \(server.webSocketURL) --send '{"op":"whoami"}' --expect-close 4001
            The token dies \(ttl) after login. The server will not wait for the next handshake: it closes
            the open socket with 4001. Waiting for it…
            """
        )
        var watch = SessionScript()
        watch.sends = [.text(#"{"op":"whoami"}"#)]
        watch.expectClose = [4001]
        watch.within = TimeSpan(seconds: ttl.seconds + 10)
        if let failure = session(wsURL, token: firstToken, script: watch).run(input: nil) { throw failure }
        note(
            """
            4001 is not in the RFC: it is the private-use code (4000–4999) that many servers send for
            "token expired". A script sees it as exit code 2 from wsauth connect, or explains it with
            `wsauth codes 4001`.
            """
        )

        say(5, "Refresh", "wsauth refresh")
        let secondToken = try refresh(store)
        note(
            """
            The refresh token was used once and replaced (rotation): the server would treat a second use of
            the old one as theft and revoke the whole family. That is why wsauth writes the store atomically,
            under a lock, and lets only one of many parallel processes refresh.
            """
        )

        say(
            6,
            "Reconnect with the new token",
            "wsauth connect \(server.webSocketURL) --send '{\"op\":\"whoami\"}' --count 1"
        )
        var talk = SessionScript()
        talk.sends = [.text(#"{"op":"whoami"}"#)]
        talk.count = 1
        if let failure = session(wsURL, token: secondToken, script: talk).run(input: nil) { throw failure }
        note(
            """
            With --reconnect, wsauth connect does steps 4 to 6 by itself: on 4001 it refreshes (once) and
            reconnects with backoff, and sends --auth-message again when the token travels in a message.
            """
        )

        return secondToken
    }

    /// Step 9: after logout, the last token is refused at the handshake.
    func logOut(
        _ server: ServerProcess,
        store: CredentialStore,
        wsURL: WebSocketURL,
        token lastToken: Secret
    ) throws(Failure) {
        say(9, "Log out, and try the old token", "wsauth logout --revoke-url \(server.logoutURL)")
        _ = try LogoutFlow(store: store, transport: TransportOptions()).run(revokeURL: server.logoutURL, emit: emit)
        note("The session and its refresh tokens are revoked. Now the same handshake with the last token:")
        let rejected = session(wsURL, token: lastToken, script: SessionScript()).run(input: nil)
        guard let rejected, rejected.exitStatus == .authRejected else {
            throw Failure(.internal, "the demo server accepted a revoked token; the demo expected a 401")
        }
        output.say(rejected.message, to: .stdout)
        note(
            """
            401 at the handshake, with WWW-Authenticate saying why: a revoked token is refused before the
            socket opens. `wsauth audit` checks this and more (expired, tampered, alg:none, foreign Origin).
            """
        )
    }

    /// Steps 7–8: the same token lifecycle inside Socket.IO, where the token rides in
    /// CONNECT's `auth` and expiry is a DISCONNECT (`41`) rather than a close code.
    /// Returns the refreshed token, the newest one, for the logout step.
    func socketIOStory(server: ServerProcess, store: CredentialStore, firstToken: Secret) throws(Failure) -> Secret {
        let url = try SocketIOURL.resolve(server.baseURL)
        let socketIO = try SocketIOSettings()
        say(
            7,
            "The same story in Socket.IO",
            """
            wsauth connect \(server.baseURL) --app socketio --send '["hello","socket.io"]'
            Socket.IO carries the token in its CONNECT packet (40{"token":…}), not in the upgrade. The server
            answers 40{"sid":…} and a welcome event, echoes events, and at expiry sends DISCONNECT (41).
            """
        )
        var talk = SessionScript()
        talk.sends = [.text(#"["hello","socket.io"]"#)]
        // More messages than the server will send: the session lasts until the server ends it.
        talk.count = 100
        talk.timeout = TimeSpan(seconds: ttl.seconds + 10)
        guard let ended = session(url, token: firstToken, script: talk, app: socketIO).run(input: nil) else {
            throw Failure(.internal, "the demo server did not end the Socket.IO session at the token's expiry")
        }
        output.say(ended.message, to: .stdout)
        say(8, "Refresh, and CONNECT again", "wsauth connect \(server.baseURL) --app socketio --reconnect")
        let token = try refresh(store)
        var welcome = SessionScript()
        welcome.count = 1
        if let failure = session(url, token: token, script: welcome, app: socketIO).run(input: nil) { throw failure }
        note(
            """
            A new CONNECT with the refreshed token, welcomed again. With --reconnect, wsauth connect --app
            socketio treats DISCONNECT at expiry like 4001: it refreshes once and sends CONNECT anew.
            """
        )
        return token
    }
}
