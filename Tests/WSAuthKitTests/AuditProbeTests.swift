import Testing

@testable import WSAuthKit

#if canImport(Glibc)
import Glibc
#endif

/// The audit catalogue run end to end against canned servers (FakeProbe): which
/// handshakes each check plans, and the verdicts the answers come to. The wire side
/// is Tests/interop/test_audit.py.
@Suite("Audit: checks over a fake probe")
struct AuditProbeTests {
    static let url = try! WebSocketURL.parse("ws://127.0.0.1:9/ws")
    /// `{"alg":"HS256"}.{"sub":"u"}.c2ln`: a JWT without exp, so nothing expires mid-test.
    static let token = Secret("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln")

    static func context(
        _ probe: FakeProbe,
        presentation: TokenPresentation = TokenPresentation(),
        watchExpiry: Bool = false,
        token: Secret? = token
    ) -> AuditContext {
        AuditContext(
            url: url,
            probe: probe,
            http: HTTPClient(options: TransportOptions()),
            token: token,
            presentation: presentation,
            sessionCookie: nil,
            expiredToken: nil,
            logoutURL: nil,
            watchExpiry: watchExpiry,
            grace: TimeSpan(seconds: 5),
            headers: [],
            subprotocols: [],
            origin: nil,
            redactor: Redactor(showSecrets: false)
        )
    }

    static func verdicts(
        _ probe: FakeProbe,
        _ context: AuditContext,
        only: String
    ) throws -> [String: CheckReport.Verdict] {
        let results = try AuditRunner(context: context, checks: AuditCatalogue.select(only: only, skip: nil)).run { _ in
        }
        return Dictionary(uniqueKeysWithValues: results.map { ($0.report.name, $0.report.verdict) })
    }

    /// The bearer token exactly as given, in the Authorization header.
    static func bearer(_ plan: HandshakePlan) -> Bool {
        plan.headers.contains { $0.name == "Authorization" && $0.value == "Bearer \(token.reveal())" }
    }

    @Test func aStrictServerPassesEveryCredentialItMustRefuse() throws {
        let probe = FakeProbe(accepts: Self.bearer)
        let found = try Self.verdicts(
            probe,
            Self.context(probe),
            only: "no-credentials,malformed-token,tampered-signature,alg-none"
        )
        #expect(
            found == [
                "no-credentials": .pass, "malformed-token": .pass, "tampered-signature": .pass, "alg-none": .pass,
            ]
        )
        // The real token first (the audit needs credentials that work), then one handshake per check.
        #expect(probe.attempts == 5 && Self.bearer(probe.plans[0]))
        #expect(!probe.plans[1].headers.contains { $0.name == "Authorization" })
    }

    @Test func aServerThatLetsEveryoneInFails() throws {
        let probe = FakeProbe(accepts: { _ in true })
        let found = try Self.verdicts(
            probe,
            Self.context(probe),
            only: "no-credentials,malformed-token,tampered-signature,alg-none"
        )
        #expect(found.values.allSatisfy { $0 == .fail }, "\(found)")
    }

    @Test func anUpgradeClosedAtOnceIsStillLetInButACloseAnsweringTheMessageIsARefusal() throws {
        let upgraded = FakeProbe { plan in
            Self.bearer(plan)
                ? FakeProbe.accepted(plan)
                : .closed(FakeProbe.report(plan), code: 4001, reason: "no", after: .upgrade)
        }
        #expect(
            try Self.verdicts(upgraded, Self.context(upgraded), only: "malformed-token") == ["malformed-token": .fail]
        )

        var presentation = TokenPresentation()
        presentation.placement = .message
        let answered = FakeProbe { plan in
            plan.authMessage?.contains(Self.token.reveal()) == true
                ? FakeProbe.accepted(plan)
                : .closed(FakeProbe.report(plan), code: 4001, reason: "no", after: .credential)
        }
        let found = try Self.verdicts(
            answered,
            Self.context(answered, presentation: presentation),
            only: "no-credentials,malformed-token"
        )
        #expect(found == ["no-credentials": .pass, "malformed-token": .pass])
        // Without credentials an auth-message endpoint still gets its message, with an empty token.
        #expect(answered.plans[1].authMessage == #"{"type":"auth","token":""}"#)
    }

    @Test func anUnansweredHandshakeIsSkippedNotPassed() throws {
        let probe = FakeProbe { plan in
            Self.bearer(plan)
                ? FakeProbe.accepted(plan) : .failed(Failure(.timeout, "no answer", cause: .noAnswer(.upgradeAnswer)))
        }
        #expect(try Self.verdicts(probe, Self.context(probe), only: "no-credentials") == ["no-credentials": .skip])
    }

    @Test func aQueryTokenAcceptedIsAWarning() throws {
        let probe = FakeProbe(accepts: { Self.bearer($0) || $0.url.resource.contains("token=") })
        let found = try Self.verdicts(
            probe,
            Self.context(probe),
            only: "placement-header,placement-query,placement-cookie"
        )
        #expect(found == ["placement-header": .pass, "placement-query": .warn, "placement-cookie": .pass])
    }

    @Test func aForeignOriginAcceptedWithATokenIsAWarning() throws {
        let checked = FakeProbe(accepts: { Self.bearer($0) && $0.origin == nil })
        #expect(try Self.verdicts(checked, Self.context(checked), only: "origin-foreign") == ["origin-foreign": .pass])
        let unchecked = FakeProbe(accepts: Self.bearer)
        #expect(
            try Self.verdicts(unchecked, Self.context(unchecked), only: "origin-foreign") == ["origin-foreign": .warn]
        )
    }

    @Test func credentialsTheServerRefusesStopTheAudit() {
        let probe = FakeProbe(accepts: { _ in false })
        #expect(throws: Failure.self) { try Self.verdicts(probe, Self.context(probe), only: "no-credentials") }
        #expect(probe.attempts == 1)
    }

    /// `--app`: the token rides in the plan's `appToken`, and the app judges it.
    @Test func theAppJudgesTheCredentialItsHandshakeCarries() throws {
        var presentation = TokenPresentation()
        presentation.placement = .message
        presentation.appPayload = true
        let probe = FakeProbe { plan in
            plan.appToken?.reveal() == Self.token.reveal()
                ? .appAccepted(FakeProbe.report(plan), app: "socketio")
                : .appRefused(FakeProbe.report(plan), app: "socketio", message: "invalid token")
        }
        let found = try Self.verdicts(
            probe,
            Self.context(probe, presentation: presentation),
            only: "no-credentials,malformed-token"
        )
        #expect(found == ["no-credentials": .pass, "malformed-token": .pass])
        // No credentials is no token at all, not an empty one, and never a first message of ours.
        #expect(probe.plans[1].appToken == nil && probe.plans[1].authMessage == nil)
        #expect(probe.plans[2].appToken?.reveal() == TokenMangler.malformed.reveal())

        let lax = FakeProbe { .appAccepted(FakeProbe.report($0), app: "socketio") }
        let failed = try Self.verdicts(lax, Self.context(lax, presentation: presentation), only: "no-credentials")
        #expect(failed == ["no-credentials": .fail])
    }

    @Test func anAppThatNeverAnswersStopsTheAuditWithATimeout() {
        var presentation = TokenPresentation()
        presentation.appPayload = true
        let probe = FakeProbe {
            .appSilent(FakeProbe.report($0), app: "graphql-ws", why: .noAnswer(within: TimeSpan(seconds: 5)))
        }
        do {
            _ = try Self.verdicts(probe, Self.context(probe, presentation: presentation), only: "no-credentials")
            Issue.record("the audit went on without working credentials")
        } catch let failure as Failure {
            #expect(failure.kind == .timeout && failure.message.contains("no answer to the graphql-ws handshake"))
        } catch {
            Issue.record("not a Failure: \(error)")
        }
    }

    /// A JWT whose `exp` is a minute away, and the check's hold answered with `ending`
    /// at `after` seconds from now (the watch times it against exp on the monotonic clock).
    static func watch(_ ending: HoldEnding, after: Double) throws -> (CheckReport.Verdict?, FakeProbe) {
        let claims = Base64.encodeURLUnpadded(Array(#"{"sub":"u","exp":\#(Int(time(nil)) + 60)}"#.utf8))
        let probe = FakeProbe(accepts: { _ in true })
        let now = Clock.now()
        probe.holding = .held(opened: now, ending: ending, ended: now + after)
        let context = Self.context(probe, watchExpiry: true, token: Secret("eyJhbGciOiJIUzI1NiJ9.\(claims).c2ln"))
        return (try Self.verdicts(probe, context, only: "watch-expiry")["watch-expiry"], probe)
    }

    @Test func theExpiryWatchTimesTheCloseAgainstExp() throws {
        let (closedAtExp, probe) = try Self.watch(.closed(code: 4001, reason: "token expired"), after: 60.4)
        #expect(closedAtExp == .pass)
        // Held until exp + --grace (5 s): the minute left, give or take the second `exp` rounds.
        #expect(probe.held.count == 1 && probe.held[0].span.seconds > 64 && probe.held[0].span.seconds <= 65)
        #expect(try Self.watch(.stillOpen, after: 70).0 == .fail)
        #expect(try Self.watch(.closed(code: 4001, reason: ""), after: 68).0 == .fail)
        #expect(try Self.watch(.appEnded(app: "socketio", reason: "expired"), after: 60.5).0 == .pass)
        // Ended before exp + grace while still open: -m cut the watch short, nothing learnt.
        #expect(try Self.watch(.stillOpen, after: 2).0 == .skip)
        #expect(try Self.watch(.appBroke(app: "socketio", why: "ping timeout"), after: 3).0 == .skip)
    }
}
