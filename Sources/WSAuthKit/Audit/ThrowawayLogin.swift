#if canImport(Glibc)
import Glibc
#endif

/// A fresh login made for the audit alone, so that `after-logout` revokes a session
/// nobody works with. Its credentials pass through a temporary store that is removed
/// at once: the person's own store is never touched.
public enum ThrowawayLogin {
    public struct Session: Sendable {
        public var token: Secret?
        public var cookie: SessionCookieCredential?
        /// What `CookieAudit` found in the login's Set-Cookie headers.
        public var cookieWarnings: [String]
        /// The names of the cookies the login set.
        public var cookieNames: [String]
    }

    /// `secrets` hears what the login sends and receives before any of it can be shown.
    public static func run(
        _ request: LoginRequest,
        sessionCookieName: String?,
        transport: TransportOptions,
        secrets: ([Secret]) -> Void
    ) throws(Failure) -> Session {
        let directory = try temporaryDirectory()
        let store = CredentialStore(
            profile: .standard,
            paths: Paths(configFile: directory + "/config.toml", stateDirectory: directory)
        )
        defer {
            _ = try? FileIO.remove(store.file)
            _ = try? FileIO.remove(store.lockFile)
            rmdir(directory)
        }
        var report: LoginReport?
        let credentials = try LoginFlow(store: store, transport: transport).run(request) { event in
            switch event.kind {
            case .login(let login): report = login
            case .secrets(let found): secrets(found)
            default: break
            }
        }
        let cookie = SessionCookie.select(
            named: sessionCookieName,
            cookies: credentials.cookies,
            loginCookieNames: credentials.loginCookieNames
        )
        return Session(
            token: credentials.accessToken,
            cookie: cookie.map { SessionCookieCredential(name: $0.name, value: Secret($0.value)) },
            cookieWarnings: report?.warnings ?? [],
            cookieNames: report?.cookies ?? []
        )
    }

    /// A private (0700) directory under `$TMPDIR`, else /tmp.
    private static func temporaryDirectory() throws(Failure) -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
        var template = Array("\(base)/wsauth-audit-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else {
            throw Failure(.internal, "cannot create a temporary directory in \(base) (errno \(errno))")
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
