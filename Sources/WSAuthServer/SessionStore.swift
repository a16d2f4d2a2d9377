import NIOConcurrencyHelpers

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One login: a user, the refresh-token family that keeps it alive, and the sockets
/// opened with it. The session ID is also the value of the session cookie and of
/// `X-Session-Token`, so it never leaves the server in anything else: access tokens
/// name their session by `tokenKey`, a second random value that no session endpoint
/// accepts, so that an access token past its `exp` opens nothing.
struct Session: Sendable {
    let id: String
    let tokenKey: String
    let subject: String
    /// Idle expiry: moved forward by every refresh.
    var expiresAt: Date
    var revoked = false
}

/// Why a refresh token was refused (RFC 6749 §5.2 `invalid_grant` in every case).
enum RefreshFailure: Error, Sendable {
    case unknown
    case expired
    /// Presented a second time: the family is revoked (RFC 6819 §5.2.2.3).
    case reused
    case sessionRevoked

    var description: String {
        switch self {
        case .unknown: "unknown refresh token"
        case .expired: "the refresh token has expired; log in again"
        case .reused:
            "refresh token already used: its whole family is revoked (RFC 6819 5.2.2.3); log in again"
        case .sessionRevoked: "the refresh token's session was logged out or revoked; log in again"
        }
    }
}

/// What a session ID presented at the handshake refers to.
enum SessionLookup: Sendable {
    case active(Session)
    case revoked
    case expired
    case unknown
}

/// Sessions, refresh-token families and the open sockets of each session, behind one
/// lock so that rotation, reuse detection and revocation are atomic.
final class SessionStore: Sendable {
    typealias SocketCloser = @Sendable (SocketClose) -> Void

    private struct RefreshRecord {
        let sessionID: String
        let expiresAt: Date
        var used = false
    }

    private struct State {
        var sessions: [String: Session] = [:]
        /// `tokenKey` → session ID.
        var tokenKeys: [String: String] = [:]
        var refreshTokens: [String: RefreshRecord] = [:]
        var sockets: [String: [UInt64: SocketCloser]] = [:]
        var nextSocketID: UInt64 = 0

        /// Used refresh tokens are kept until they expire: reuse detection needs them.
        mutating func forgetExpired(now: Date) {
            refreshTokens = refreshTokens.filter { $0.value.expiresAt > now }
            sessions = sessions.filter { $0.value.expiresAt > now || sockets[$0.key] != nil }
            tokenKeys = tokenKeys.filter { sessions[$0.value] != nil }
        }
    }

    private let state = NIOLockedValueBox(State())
    private let refreshTTL: Duration

    init(refreshTTL: Duration) {
        self.refreshTTL = refreshTTL
    }

    /// A new session; with a refresh token unless the grant forbids one
    /// (client credentials, RFC 6749 §4.4.3).
    func open(subject: String, withRefreshToken: Bool, now: Date) -> (Session, refreshToken: String?) {
        let session = Session(
            id: RandomToken.make(),
            tokenKey: RandomToken.make(),
            subject: subject,
            expiresAt: now + refreshTTL.timeInterval
        )
        let refreshToken = withRefreshToken ? RandomToken.make() : nil
        state.withLockedValue { state in
            state.forgetExpired(now: now)
            state.sessions[session.id] = session
            state.tokenKeys[session.tokenKey] = session.id
            if let refreshToken {
                state.refreshTokens[refreshToken] = RefreshRecord(sessionID: session.id, expiresAt: session.expiresAt)
            }
        }
        return (session, refreshToken)
    }

    /// Exchanges a refresh token for its successor (rotation, RFC 6819 §5.2.2.3). A token
    /// seen before revokes its session and every token of the family, and closes the
    /// session's sockets.
    func rotate(_ refreshToken: String, now: Date) throws(RefreshFailure) -> (Session, refreshToken: String) {
        let successor = RandomToken.make()
        let outcome: Result<Session, RefreshFailure> = state.withLockedValue { state in
            guard var record = state.refreshTokens[refreshToken] else { return .failure(.unknown) }
            guard var session = state.sessions[record.sessionID], !session.revoked else {
                return .failure(.sessionRevoked)
            }
            guard !record.used else { return .failure(.reused) }
            guard record.expiresAt > now else { return .failure(.expired) }
            record.used = true
            state.refreshTokens[refreshToken] = record
            session.expiresAt = now + refreshTTL.timeInterval
            state.sessions[session.id] = session
            state.refreshTokens[successor] = RefreshRecord(sessionID: session.id, expiresAt: session.expiresAt)
            return .success(session)
        }
        switch outcome {
        case .success(let session):
            return (session, successor)
        case .failure(.reused):
            if let sessionID = self.sessionID(forRefreshToken: refreshToken) {
                revoke(sessionID: sessionID)
            }
            throw .reused
        case .failure(let failure):
            throw failure
        }
    }

    func sessionID(forRefreshToken refreshToken: String) -> String? {
        state.withLockedValue { $0.refreshTokens[refreshToken]?.sessionID }
    }

    /// The session an access token's `sid` claim names.
    func sessionID(forTokenKey tokenKey: String) -> String? {
        state.withLockedValue { $0.tokenKeys[tokenKey] }
    }

    func lookup(sessionID: String, now: Date) -> SessionLookup {
        state.withLockedValue { state in
            guard let session = state.sessions[sessionID] else { return .unknown }
            if session.revoked { return .revoked }
            if session.expiresAt <= now { return .expired }
            return .active(session)
        }
    }

    /// Revokes a session and its refresh family, then closes its sockets with 4003.
    /// Returns the session's subject, or nil when there was no such session.
    @discardableResult
    func revoke(sessionID: String) -> String? {
        let (subject, closers): (String?, [SocketCloser]) = state.withLockedValue { state in
            guard var session = state.sessions[sessionID] else { return (nil, []) }
            session.revoked = true
            state.sessions[sessionID] = session
            // The family's tokens stay, marked by their revoked session, so that a later
            // use is still told why it fails.
            let closers = state.sockets.removeValue(forKey: sessionID).map { Array($0.values) } ?? []
            return (session.subject, closers)
        }
        for close in closers { close(.sessionRevoked) }
        return subject
    }

    /// Registers an open socket to be closed when its session is revoked; returns the
    /// key to unregister it with when the socket ends, or nil when the session was
    /// revoked in the meantime (between handshake and now).
    func attachSocket(to sessionID: String, closer: @escaping SocketCloser) -> UInt64? {
        state.withLockedValue { state in
            guard let session = state.sessions[sessionID], !session.revoked else { return nil }
            state.nextSocketID += 1
            state.sockets[sessionID, default: [:]][state.nextSocketID] = closer
            return state.nextSocketID
        }
    }

    func detachSocket(_ key: UInt64, from sessionID: String) {
        state.withLockedValue { state in
            state.sockets[sessionID]?[key] = nil
            if state.sockets[sessionID]?.isEmpty == true {
                state.sockets[sessionID] = nil
            }
        }
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`, for `Date` arithmetic.
    var timeInterval: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
