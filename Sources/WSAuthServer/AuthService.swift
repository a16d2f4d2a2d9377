import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a successful login or refresh hands out (RFC 6749 §5.1).
struct IssuedTokens: Sendable {
    let accessToken: String
    let refreshToken: String?
    let expiresIn: Int
    let session: Session
}

/// The authentication rules shared by the HTTP endpoints and the WebSocket handshake:
/// passwords, token issue, refresh rotation, token verification, logout.
final class AuthService: Sendable {
    let sessions: SessionStore
    let counters: CounterBoard
    let signer: AccessTokenSigner
    private let users: [String: String]
    private let tokenTTL: Duration

    init(configuration: ReferenceServerConfiguration, counters: CounterBoard) {
        self.sessions = SessionStore(refreshTTL: configuration.refreshTTL)
        self.counters = counters
        self.signer = AccessTokenSigner(secret: configuration.secret ?? RandomToken.make())
        self.users = configuration.users
        self.tokenTTL = configuration.tokenTTL
    }

    /// Compares digests, so that the time taken says nothing about the password.
    func isValid(user: String, password: String) -> Bool {
        guard let expected = users[user] else { return false }
        return SHA256.hash(data: Array(expected.utf8)) == SHA256.hash(data: Array(password.utf8))
    }

    /// Opens a session for a user (or an OAuth client) and issues its first tokens.
    func login(subject: String, withRefreshToken: Bool = true, now: Date = Date()) -> IssuedTokens {
        let (session, refreshToken) = sessions.open(subject: subject, withRefreshToken: withRefreshToken, now: now)
        return issue(for: session, refreshToken: refreshToken, now: now)
    }

    /// Rotates a refresh token and issues a fresh access token for its session.
    func refresh(_ refreshToken: String, now: Date = Date()) throws(RefreshFailure) -> IssuedTokens {
        do {
            let (session, successor) = try sessions.rotate(refreshToken, now: now)
            counters.add(\.refreshes)
            return issue(for: session, refreshToken: successor, now: now)
        } catch {
            if error == .reused { counters.add(\.refreshReuses) }
            throw error
        }
    }

    /// The claims of a token that may be used now, with its session: signature,
    /// expiry (unless allowed) and a live session.
    func authenticate(
        accessToken: String,
        allowExpired: Bool,
        now: Date = Date()
    ) throws(AccessTokenRejection)
        -> (claims: AccessTokenClaims, session: Session)
    {
        let claims = try signer.verifiedClaims(of: accessToken)
        if claims.isExpired(at: now), !allowExpired {
            throw .expired(secondsAgo: Int(now.timeIntervalSince1970) - claims.exp)
        }
        guard let sessionID = sessions.sessionID(forTokenKey: claims.sid) else { throw .sessionUnknown }
        switch sessions.lookup(sessionID: sessionID, now: now) {
        case .active(let session): return (claims, session)
        case .revoked: throw .sessionRevoked
        case .expired, .unknown: throw .sessionUnknown
        }
    }

    /// The session a signed token belongs to, expired or not: logging out with a token
    /// that has just expired must still work.
    func sessionID(ofSignedToken accessToken: String) throws(AccessTokenRejection) -> String {
        guard let sessionID = sessions.sessionID(forTokenKey: try signer.verifiedClaims(of: accessToken).sid) else {
            throw .sessionUnknown
        }
        return sessionID
    }

    private func issue(for session: Session, refreshToken: String?, now: Date) -> IssuedTokens {
        let issuedAt = now.timeIntervalSince1970
        let expiry = (issuedAt + tokenTTL.timeInterval).rounded(.up)
        let claims = AccessTokenClaims(
            sub: session.subject,
            iat: Int(issuedAt.rounded(.down)),
            exp: Int(expiry),
            jti: RandomToken.make(bytes: 16),
            sid: session.tokenKey
        )
        return IssuedTokens(
            accessToken: signer.sign(claims),
            refreshToken: refreshToken,
            expiresIn: Int((expiry - issuedAt).rounded(.down)),
            session: session
        )
    }
}
