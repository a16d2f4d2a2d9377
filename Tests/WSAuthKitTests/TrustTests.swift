import Glibc
import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Issue 10: where stored credentials may go, what may go into a header, how the
/// store guards itself, and how far an endpoint call may run.
@Suite struct TrustTests {
    private let temporary = TemporaryDirectory()

    func credentials(obtainedFrom: [String]?, webSocketURL: String? = nil, refreshURL: String? = nil) -> Credentials {
        Credentials(
            accessToken: Secret("A"),
            refreshToken: nil,
            tokenType: "Bearer",
            expiresAt: nil,
            user: nil,
            cookies: [],
            loginCookieNames: [],
            refreshEndpoint: refreshURL.map { RefreshEndpoint(url: $0, style: .json) },
            obtainedAt: Timestamp(timeIntervalSince1970: 0),
            obtainedFrom: obtainedFrom,
            webSocketURL: webSocketURL
        )
    }

    func profile(_ toml: String) throws -> Profile {
        try Profile.parse("[profiles.default]\n" + toml, name: .standard, file: "/c/config.toml")
    }

    // MARK: CredentialScope

    @Test func storedCredentialsBelongToTheirHostsOnly() throws {
        let scope = try CredentialScope(
            credentials: credentials(obtainedFrom: ["login.example"], webSocketURL: "wss://WS.example:8443/ws"),
            settings: profile(#"ws_url = "wss://[::1]:9/ws"\#nhosts = ["Extra.Example."]"#).settings()
        )
        #expect(scope.hosts == ["login.example", "::1", "ws.example", "extra.example"])
        #expect(scope.allows("LOGIN.example") && scope.allows("ws.example") && scope.allows("[::1]"))
        #expect(scope.allows("extra.example."))
        #expect(!scope.allows("evil.example") && !scope.allows("login.example.evil.example"))
        #expect(
            scope.refusal(host: "Evil.example", profile: .standard, configFile: "/c/config.toml")
                == "not sending the stored credentials of profile default to Evil.example: they belong to login.example, ::1, ws.example, extra.example; to allow it, add \"evil.example\" to hosts in [profiles.default] of /c/config.toml, or pass --token…"
        )
    }

    @Test func aFileWithoutOriginsFallsBackToTheLoginAndRefreshHosts() throws {
        let legacy = credentials(obtainedFrom: nil, refreshURL: "https://auth.example/refresh")
        let scope = try CredentialScope(
            credentials: legacy,
            settings: profile(#"login_url = "https://id.example/login""#).settings()
        )
        #expect(scope.hosts == ["id.example", "auth.example"])
        // Once origins are recorded, only they count: the profile's login_url is not a blanket pass.
        let recorded = try CredentialScope(
            credentials: credentials(obtainedFrom: ["auth.example"]),
            settings: profile(#"login_url = "https://id.example/login""#).settings()
        )
        #expect(recorded.hosts == ["auth.example"])
    }

    @Test func originsAndTheWebSocketURLSurviveTheStore() throws {
        var stored = credentials(obtainedFrom: nil, webSocketURL: "ws://ws.example/ws")
        stored.recordOrigin("https://Login.Example:8443/auth")
        stored.recordOrigin("https://login.example/refresh")
        let read = try Credentials.parse(stored.json()).get()
        #expect(read.obtainedFrom == ["login.example"] && read.webSocketURL == "ws://ws.example/ws")
        var old = stored.json()
        if case .object(let fields) = old {
            old = .object(fields.filter { !["obtained_from", "ws_url"].contains($0.0) })
        }
        let legacy = try Credentials.parse(old).get()
        #expect(legacy.obtainedFrom == nil && legacy.webSocketURL == nil)
    }

    // MARK: HeaderSafety

    @Test(arguments: ["a\rb", "a\nb", "a\r\nX-Injected: 1", "a\0b"])
    func lineBreaksAndNULAreRefusedWithTheSourcesExitCode(value: String) {
        #expect(throws: Failure.self) { try HeaderSafety.check(value, source: .server("x")) }
        do {
            try HeaderSafety.check(value, source: .server("the stored token"))
        } catch {
            #expect(error.exitStatus == .handshakeFailed)
            #expect(error.message.hasPrefix("refusing the stored token: it holds a"))
            #expect(!error.message.contains(value))
        }
        do {
            try HeaderSafety.check(value, source: .user("--origin"))
        } catch {
            #expect(error.exitStatus == .usage)
        }
    }

    @Test func ordinaryValuesPass() throws {
        try HeaderSafety.check("Bearer eyJ.x-y_z~+/=", source: .server("token"))
        try HeaderSafety.check("tab\tis allowed (RFC 9110 §5.5)", source: .user("-H"))
    }

    @Test func dashHWithACRLFGraphemeIsAUsageError() {
        // "\r\n" is one Character in Swift: a check on Characters would miss it.
        #expect(throws: Failure.self) { try TransportOptions.parseHeader("X-A: b\r\nX-Injected: 1") }
    }

    @Test func loopbackHostsGetNoCleartextWarning() {
        for host in ["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "app.localhost"] {
            #expect(CleartextWarning.message(url: "ws://\(host)/", secure: false, host: host) == nil)
        }
        #expect(CleartextWarning.message(url: "wss://a.example/", secure: true, host: "a.example") == nil)
        #expect(
            CleartextWarning.message(
                url: "http://127.0.0.1.evil.example/",
                secure: false,
                host: "127.0.0.1.evil.example"
            ) != nil
        )
        #expect(
            CleartextWarning.message(url: "http://a.example/login", secure: false, host: "a.example")
                == "warning: credentials are sent in clear text to a.example (http://); anyone on the path can read them — use https://"
        )
    }

    // MARK: Bounded answers

    @Test func everyEndpointCallHasATotalTimeout() throws {
        #expect(HTTPClient(options: TransportOptions()).totalTimeout == TimeSpan(seconds: 30))
        var options = TransportOptions()
        options.maxTime = try TimeSpan.parse("2s")
        #expect(HTTPClient(options: options).totalTimeout == TimeSpan(seconds: 2))
        #expect(HTTPClient.responseLimit == 1_048_576)
    }

    // MARK: The store

    @Test func directoryProblems() {
        let me = geteuid()
        #expect(PrivateDirectory.problem(isDirectory: true, owner: me, mode: 0o700, user: me) == nil)
        #expect(PrivateDirectory.problem(isDirectory: true, owner: me, mode: 0o755, user: me) == nil)
        #expect(
            PrivateDirectory.problem(isDirectory: false, owner: me, mode: 0o700, user: me) == "it is not a directory"
        )
        #expect(
            PrivateDirectory.problem(isDirectory: true, owner: me &+ 1, mode: 0o700, user: me)?.contains("owned by uid")
                == true
        )
        #expect(
            PrivateDirectory.problem(isDirectory: true, owner: me, mode: 0o770, user: me)?.contains("mode 770") == true
        )
        #expect(
            PrivateDirectory.problem(isDirectory: true, owner: me, mode: 0o1777, user: me)?.contains("mode 1777")
                == true
        )
    }

    @Test func aStoreInAWorldWritableDirectoryIsRefused() throws {
        let directory = temporary.path
        let paths = Paths(configFile: directory + "/config.toml", stateDirectory: directory + "/state")
        #expect(mkdir(directory + "/state", 0o700) == 0)
        #expect(chmod(directory + "/state", 0o777) == 0)
        let store = CredentialStore(profile: .standard, paths: paths)
        #expect(throws: Failure.self) { try store.peek() }
        #expect(throws: Failure.self) { try store.current() }
        #expect(access(store.lockFile, F_OK) != 0)
    }

    @Test func theStateDirectoryIsCreated0700() throws {
        let directory = temporary.path
        let paths = Paths(configFile: directory + "/config.toml", stateDirectory: directory + "/a/b/wsauth")
        let store = CredentialStore(profile: .standard, paths: paths)
        try store.locked { (t: inout CredentialStore.Transaction) throws(Failure) in
            try t.write(credentials(obtainedFrom: []))
        }
        var info = stat()
        #expect(stat(directory + "/a/b/wsauth", &info) == 0 && info.st_mode & 0o777 == 0o700)
    }

    @Test func atomicWritesNeverFollowAPlantedSymlinkAndAre0600UnderAnyUmask() throws {
        let directory = temporary.path
        let victim = directory + "/victim"
        try FileIO.replaceAtomically(victim, with: Array("precious".utf8), mode: 0o644)
        #expect(symlink(victim, directory + "/store.json.tmp") == 0)
        let old = umask(0)
        defer { umask(old) }
        try FileIO.replaceAtomically(directory + "/store.json", with: Array("{}".utf8))
        #expect(try FileIO.readText(victim) == "precious")
        var info = stat()
        #expect(lstat(directory + "/store.json", &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFREG && info.st_mode & 0o777 == 0o600)
    }

    @Test func aCookieJarIsMade0600() throws {
        let jar = temporary.path + "/jar.txt"
        try FileIO.replaceAtomically(jar, with: [], mode: 0o644)
        try FileIO.createPrivateFile(jar)
        var info = stat()
        #expect(stat(jar, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    // MARK: RFC 7009

    func logoutFlow(style: RevokeStyle = .rfc7009, secret: String? = nil) -> LogoutFlow {
        let directory = temporary.path
        var flow = LogoutFlow(
            store: CredentialStore(
                profile: .standard,
                paths: Paths(configFile: directory + "/c", stateDirectory: directory)
            ),
            transport: TransportOptions()
        )
        flow.style = style
        flow.clientSecret = secret.map(Secret.init)
        return flow
    }

    func body(_ request: HTTPRequest) -> String { String(decoding: request.body ?? [], as: UTF8.self) }
    func header(_ request: HTTPRequest, _ name: String) -> String? { request.headers.first { $0.name == name }?.value }

    @Test func rfc7009PublicClientSendsTheRefreshTokenAndItsClientID() {
        var stored = credentials(obtainedFrom: [])
        stored.refreshToken = Secret("R&1")
        stored.refreshEndpoint = RefreshEndpoint(url: "https://id/token", style: .oauth2, clientID: "cli")
        let request = logoutFlow().httpRequest(stored, url: "https://id/revoke")
        #expect(body(request) == "token=R%261&token_type_hint=refresh_token&client_id=cli")
        #expect(header(request, "Content-Type") == "application/x-www-form-urlencoded")
        #expect(header(request, "Authorization") == "Bearer A")
    }

    @Test func rfc7009ConfidentialClientUsesBasicAndTheAccessTokenWithoutARefreshToken() {
        var stored = credentials(obtainedFrom: [])
        stored.refreshEndpoint = RefreshEndpoint(url: "https://id/token", style: .oauth2, clientID: "svc")
        let request = logoutFlow(secret: "s:1").httpRequest(stored, url: "https://id/revoke")
        #expect(body(request) == "token=A&token_type_hint=access_token")
        #expect(header(request, "Authorization") == "Basic " + Base64.encode(Array("svc:s%3A1".utf8)))
    }

    @Test func jsonStyleKeepsTheOldBody() {
        var stored = credentials(obtainedFrom: [])
        stored.refreshToken = Secret("R1")
        let request = logoutFlow(style: .json).httpRequest(stored, url: "https://api/logout")
        #expect(body(request) == #"{"refresh_token":"R1"}"#)
        #expect(header(request, "Content-Type") == "application/json")
        #expect(header(request, "Authorization") == "Bearer A")
    }
}
