import Glibc
import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A fresh directory under /tmp for one test, removed with everything in it
/// when the test's suite instance goes (Swift Testing makes one per test).
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/wsauth-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: made!)
    }

    deinit { TemporaryDirectory.remove(path) }

    /// Depth first, without following symbolic links (a test may plant one).
    private static func remove(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR, let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != ".", name != ".." { remove(path + "/" + name) }
            }
            closedir(dir)
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

@Suite struct CredentialStoreTests {
    private let temporary = TemporaryDirectory()
    var directory: String { temporary.path }
    var paths: Paths { Paths(configFile: directory + "/config.toml", stateDirectory: directory + "/state/wsauth") }

    func sample(_ access: String = "A1") -> Credentials {
        Credentials(
            accessToken: Secret(access),
            refreshToken: Secret("R1"),
            tokenType: "Bearer",
            expiresAt: Timestamp(timeIntervalSince1970: 1_900_000_000),
            user: "alice",
            cookies: ["#HttpOnly_localhost\tFALSE\t/\tFALSE\t0\tsid\tS"].compactMap(NetscapeCookie.parse),
            loginCookieNames: ["sid"],
            refreshEndpoint: RefreshEndpoint(url: "http://localhost/r", style: .oauth2, clientID: "cli"),
            obtainedAt: Timestamp(timeIntervalSince1970: 1_800_000_000)
        )
    }

    @Test func roundTripsWithMode0600() throws {
        let store = CredentialStore(profile: try ProfileName("ci"), paths: paths)
        try store.locked { (t: inout CredentialStore.Transaction) throws(Failure) in try t.write(sample()) }
        #expect(store.file == directory + "/state/wsauth/ci.json")
        var info = stat()
        #expect(stat(store.file, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let read = try #require(try store.peek())
        #expect(read.accessToken?.reveal() == "A1")
        #expect(read.refreshToken?.reveal() == "R1")
        #expect(read.expiresAt == Timestamp(timeIntervalSince1970: 1_900_000_000))
        #expect(read.refreshEndpoint == RefreshEndpoint(url: "http://localhost/r", style: .oauth2, clientID: "cli"))
        #expect(read.cookieNames == ["sid"])
        #expect(read.user == "alice")
    }

    /// A file written before cookies were typed (the same format: libcurl's
    /// Netscape lines) is read whole, and written back line for line.
    @Test func aFileFromBeforeTypedCookiesKeepsItsCookies() throws {
        let lines = [
            "#HttpOnly_localhost\tFALSE\t/\tFALSE\t0\tsid\tS1",
            ".example.com\tTRUE\t/app\tTRUE\t1900000000\ttheme\tdark",
        ]
        let cookies = JSONValue.array(lines.map(JSONValue.string)).serialized()
        let old =
            #"{"version":1,"access_token":"A","refresh_token":null,"token_type":"Bearer","expires_at":null,"user":null,"#
            + #""cookies":\#(cookies),"login_cookies":["sid"],"obtained_at":1800000000}"#
        let store = CredentialStore(profile: .standard, paths: paths)
        try FileIO.createDirectories(directory + "/state/wsauth")
        try FileIO.replaceAtomically(store.file, with: Array(old.utf8))
        let read = try #require(try store.peek())
        #expect(
            read.cookies == [
                NetscapeCookie(
                    domain: "localhost",
                    includeSubdomains: false,
                    path: "/",
                    secure: false,
                    expires: 0,
                    name: "sid",
                    value: "S1",
                    httpOnly: true
                ),
                NetscapeCookie(
                    domain: "example.com",
                    includeSubdomains: true,
                    path: "/app",
                    secure: true,
                    expires: 1_900_000_000,
                    name: "theme",
                    value: "dark",
                    httpOnly: false
                ),
            ]
        )
        #expect(read.secrets.map { $0.reveal() }.contains("S1"))
        try store.locked { (t: inout CredentialStore.Transaction) throws(Failure) in try t.write(read) }
        let written = try JSONValue.parse(try #require(try FileIO.readBytes(store.file)))
        #expect(written["cookies"] == .array(lines.map(JSONValue.string)))
    }

    @Test func storedProfilesAreTheStoreFilesOnly() throws {
        #expect(CredentialStore.storedProfiles(paths: paths).isEmpty)
        for name in ["zeta", "ci"] {
            let store = CredentialStore(profile: try ProfileName(name), paths: paths)
            try store.locked { (t: inout CredentialStore.Transaction) throws(Failure) in try t.write(sample()) }
        }
        // The lock files beside them, and other files, are no profiles.
        _ = try FileIO.replaceAtomically(paths.stateDirectory + "/notes.txt", with: Array("x".utf8))
        #expect(CredentialStore.storedProfiles(paths: paths).map(\.value) == ["ci", "zeta"])
    }

    @Test func replacesAtomicallyWithoutLeavingTheOldContent() throws {
        let store = CredentialStore(profile: .standard, paths: paths)
        try store.locked { (t: inout CredentialStore.Transaction) throws(Failure) in try t.write(sample("A1")) }
        var before = stat()
        stat(store.file, &before)
        try store.locked { (t: inout CredentialStore.Transaction) throws(Failure) in try t.write(sample("A2")) }
        var after = stat()
        stat(store.file, &after)
        // A new inode: the file was renamed into place, not rewritten in place.
        #expect(before.st_ino != after.st_ino)
        #expect(try store.peek()?.accessToken?.reveal() == "A2")
    }

    @Test func leftoverTemporaryFromAKilledWriterIsHarmless() throws {
        let store = CredentialStore(profile: .standard, paths: paths)
        try store.locked { (t: inout CredentialStore.Transaction) throws(Failure) in try t.write(sample("A1")) }
        try FileIO.replaceAtomically(store.file + ".tmp.junk", with: Array("{\"half".utf8))
        _ = try FileIO.move(store.file + ".tmp.junk", to: store.file + ".tmp")
        #expect(try store.peek()?.accessToken?.reveal() == "A1")
        try store.locked { (t: inout CredentialStore.Transaction) throws(Failure) in try t.write(sample("A2")) }
        #expect(try store.peek()?.accessToken?.reveal() == "A2")
    }

    @Test func corruptFileIsKeptAside() throws {
        let store = CredentialStore(profile: .standard, paths: paths)
        try FileIO.replaceAtomically(store.file, with: Array("{not json".utf8))
        let contents = try store.locked { (t: inout CredentialStore.Transaction) throws(Failure) in try t.read() }
        guard case .corrupt(let message) = contents else {
            Issue.record("expected corrupt, got \(contents)")
            return
        }
        #expect(message.contains("default.json.corrupt"))
        #expect(!message.contains("\n"))
        #expect(try FileIO.readText(store.corruptFile) == "{not json")
        #expect(try FileIO.readBytes(store.file) == nil)
    }

    @Test func wrongShapeIsCorruptToo() throws {
        let store = CredentialStore(profile: .standard, paths: paths)
        try FileIO.replaceAtomically(store.file, with: Array(#"{"version":1,"access_token":5}"#.utf8))
        #expect(try store.peek() == nil)
        let contents = try store.locked { (t: inout CredentialStore.Transaction) throws(Failure) in try t.read() }
        if case .corrupt = contents {} else { Issue.record("expected corrupt") }
    }

    @Test func lockIsExclusive() throws {
        let store = CredentialStore(profile: .standard, paths: paths)
        var waiter = store
        waiter.lockTimeout = TimeSpan(seconds: 0.05)
        try store.locked { (_: inout CredentialStore.Transaction) throws(Failure) in
            do throws(Failure) {
                try waiter.locked { (_: inout CredentialStore.Transaction) throws(Failure) in }
                Issue.record("a second lock was granted while the first was held")
            } catch {
                #expect(error.kind == .timeout)
            }
        }
        // Released on return: taking it again works.
        try waiter.locked { (_: inout CredentialStore.Transaction) throws(Failure) in }
    }

    @Test func expiryWithinMargin() {
        var credentials = sample()
        let now = Timestamp(timeIntervalSince1970: 1_900_000_000 - 30)
        #expect(credentials.expires(within: TimeSpan(seconds: 60), now: now))
        #expect(!credentials.expires(within: TimeSpan(seconds: 10), now: now))
        credentials.expiresAt = nil
        #expect(!credentials.expires(within: TimeSpan(seconds: 60), now: now))
    }
}

@Suite struct ProfileTests {
    let name = try! ProfileName("staging")

    @Test func readsTheNamedTable() throws {
        let toml = """
            [profiles.default]
            login_url = "http://a/login"

            [profiles.staging]
            login_url = "https://staging/login"
            form = true
            auth_close_codes = [4001, 4003]
            token_in = "query"
            if_expiring_within = "5m"
            """
        let profile = try Profile.parse(toml, name: name, file: "/x/config.toml")
        #expect(try profile.settings() == ProfileSettings(loginURL: "https://staging/login"))
        #expect(profile.values["form"] == .bool(true))
        #expect(profile.values["auth_close_codes"] == .array([.integer(4001), .integer(4003)]))
        #expect(profile.values["if_expiring_within"] == .string("5m"))
        #expect(
            profile.lines == ["login_url": 5, "form": 6, "auth_close_codes": 7, "token_in": 8, "if_expiring_within": 9]
        )
    }

    @Test func badFileNamesFileAndLine() {
        do throws(Failure) {
            _ = try Profile.parse(
                "[profiles.staging]\nlogin_url = \"a\"\nbroken = = 3\n",
                name: name,
                file: "/x/config.toml"
            )
            Issue.record("expected a failure")
        } catch {
            #expect(error.exitStatus == .usage)
            #expect(error.message.hasPrefix("/x/config.toml:3:"))
        }
    }

    @Test func wrongTypeNamesTheKey() throws {
        let profile = try Profile.parse("[profiles.staging]\nlogin_url = 5\n", name: name, file: "/x/config.toml")
        do throws(Failure) {
            _ = try profile.settings()
            Issue.record("expected a failure")
        } catch {
            #expect(error.message == "/x/config.toml:2: profiles.staging.login_url must be a string")
        }
    }

    @Test func missingProfileIsEmpty() throws {
        #expect(try Profile.parse("[profiles.other]\nx = 1\n", name: name, file: "f").values.isEmpty)
    }

    @Test func profileNamesAreSafeFileNames() {
        #expect((try? ProfileName("../etc")) == nil)
        #expect((try? ProfileName(".hidden")) == nil)
        #expect((try? ProfileName("ci-1.prod_x"))?.value == "ci-1.prod_x")
        #expect((try? ProfileName.select(flag: nil, environment: { _ in "env" }))?.value == "env")
        #expect((try? ProfileName.select(flag: nil, environment: { _ in nil })) == .standard)
    }

    @Test func xdgPaths() throws {
        let env = ["HOME": "/home/u", "XDG_STATE_HOME": "/s"]
        let paths = try Paths.from(environment: { env[$0] })
        #expect(paths.configFile == "/home/u/.config/wsauth/config.toml")
        #expect(paths.stateDirectory == "/s/wsauth")
        let relative = try Paths.from(environment: { ["HOME": "/h", "XDG_CONFIG_HOME": "rel"][$0] })
        #expect(relative.configFile == "/h/.config/wsauth/config.toml")
    }
}
