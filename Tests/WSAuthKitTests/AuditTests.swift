import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A JWT as the reference server issues them: HS256 over {"sub","exp"}.
private let header = Base64.encodeURLUnpadded(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
private let payload = Base64.encodeURLUnpadded(Array(#"{"sub":"alice","exp":1900000000}"#.utf8))
private let signature = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_ABCDE"
private let token = "\(header).\(payload).\(signature)"

@Suite("Audit: token manglers")
struct TokenManglerTests {
    @Test func parsesACompactJWTAndItsExpiry() throws {
        let jwt = try #require(CompactJWT(token))
        #expect(jwt.decoded.expiresAt == Timestamp(timeIntervalSince1970: 1_900_000_000))
        #expect(jwt.decoded.claims["sub"]?.stringValue == "alice")
        #expect([jwt.header, jwt.payload, jwt.signature] == [header, payload, signature])
    }

    @Test(arguments: ["opaque-token", "a.b", "a.b.c.d", "e30.bm90IGpzb24.sig", ""])
    func anOpaqueTokenIsNotAJWT(text: String) {
        #expect(CompactJWT(text) == nil)
    }

    @Test func tamperingChangesTheFirstSignatureByteAndNothingElse() throws {
        let jwt = try #require(CompactJWT(token))
        let forged = try #require(TokenMangler.tamperedSignature(jwt)).reveal()
        let parts = forged.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(parts[0] == header && parts[1] == payload)
        #expect(parts[2] != signature && parts[2].count == signature.count)
        let original = try #require(Base64.decode(signature))
        let changed = try #require(Base64.decode(parts[2]))
        #expect(original[0] != changed[0])
        #expect(original.dropFirst() == changed.dropFirst())
    }

    @Test func aSignatureStartingWithATurnsIntoB() throws {
        let jwt = try #require(CompactJWT("\(header).\(payload).AAAA"))
        #expect(TokenMangler.tamperedSignature(jwt)?.reveal() == "\(header).\(payload).BAAA")
    }

    @Test func anUnsignedJWTHasNothingToTamperWith() throws {
        let jwt = try #require(CompactJWT("\(header).\(payload)."))
        #expect(TokenMangler.tamperedSignature(jwt) == nil)
    }

    @Test func algNoneKeepsTheClaimsAndDropsTheSignature() throws {
        let jwt = try #require(CompactJWT(token))
        let forged = TokenMangler.algNone(jwt).reveal()
        #expect(forged.hasSuffix("."))
        let parts = forged.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(parts.count == 3 && parts[1] == payload && parts[2].isEmpty)
        let decoded = try #require(Base64.decode(parts[0]))
        #expect(String(decoding: decoded, as: UTF8.self) == #"{"alg":"none","typ":"JWT"}"#)
    }

    @Test func theMalformedTokenIsNoJWT() {
        #expect(CompactJWT(TokenMangler.malformed.reveal()) == nil)
    }
}

@Suite("Audit: verdict rules")
struct AuditRulesTests {
    static let plan = HandshakePlan(url: try! WebSocketURL.parse("ws://127.0.0.1:9/ws"))
    let accepted = FakeProbe.accepted(plan)
    let refused = FakeProbe.rejected(
        plan,
        401,
        challenge: #"Bearer realm="x", error="invalid_token", error_description="expired""#
    )
    let upgradedThenClosed = ProbeOutcome.closed(
        FakeProbe.report(plan),
        code: 4001,
        reason: "token expired",
        after: .upgrade
    )
    let closedAfterMessage = ProbeOutcome.closed(
        FakeProbe.report(plan),
        code: 4001,
        reason: "bad token",
        after: .credential
    )
    let failed = ProbeOutcome.failed(Failure(.network, "connection refused", cause: .connectionRefused))

    @Test func aCredentialThatMustBeRefused() {
        #expect(AuditRules.mustRefuse(accepted, "x").verdict == .fail)
        #expect(AuditRules.mustRefuse(refused, "x").verdict == .pass)
        #expect(AuditRules.mustRefuse(closedAfterMessage, "x").verdict == .pass)
        // Let through the handshake and closed at once: still let through.
        #expect(AuditRules.mustRefuse(upgradedThenClosed, "x").verdict == .fail)
        #expect(AuditRules.mustRefuse(failed, "x").verdict == .skip)
    }

    @Test func theEvidenceSaysWhatTheServerAnswered() {
        let finding = AuditRules.mustRefuse(refused, "no credentials")
        #expect(
            finding.detail
                == #"the handshake with no credentials answered 401 (WWW-Authenticate: Bearer error="invalid_token": expired)"#
        )
        #expect(
            AuditRules.mustRefuse(closedAfterMessage, "a token").detail.contains(
                "auth message answered with close 4001 \"bad token\""
            )
        )
        #expect(
            AuditRules.mustRefuse(upgradedThenClosed, "a token").detail.contains(
                "only then closed by the server with 4001 \"token expired\""
            )
        )
    }

    @Test func aChallengeWithoutAnErrorIsShownAsIs() {
        #expect(ProbeOutcome.summarize(challenge: #"Bearer realm="wsauth""#) == #"Bearer realm="wsauth""#)
    }

    @Test func onlyAQueryTokenAcceptedIsAWarning() {
        for placement in TokenPlacement.allCases {
            let expected: CheckReport.Verdict = placement == .query ? .warn : .pass
            #expect(AuditRules.placement(placement, where: "there", accepted).verdict == expected)
            #expect(AuditRules.placement(placement, where: "there", refused).verdict == .pass)
            #expect(AuditRules.placement(placement, where: "there", upgradedThenClosed).verdict == .pass)
        }
        #expect(AuditRules.placement(.query, where: "there", failed).verdict == .skip)
    }

    @Test func aForeignOriginWithACookieIsHijackingWithATokenAWarning() {
        #expect(AuditRules.origin("null", credential: "c", ambient: true, accepted).verdict == .fail)
        #expect(AuditRules.origin("null", credential: "t", ambient: false, accepted).verdict == .warn)
        #expect(AuditRules.origin("null", credential: "c", ambient: true, refused).verdict == .pass)
        #expect(AuditRules.origin("null", credential: "c", ambient: true, upgradedThenClosed).verdict == .fail)
        #expect(AuditRules.origin("null", credential: "t", ambient: false, closedAfterMessage).verdict == .pass)
        #expect(AuditRules.origin("null", credential: "c", ambient: true, failed).verdict == .skip)
    }

    @Test func aTokenInACookieIsAmbientAndOneInAHeaderIsNot() {
        var presentation = TokenPresentation()
        #expect(!PresentedCredential.token(Secret("t"), presentation).isAmbient)
        presentation.placement = .cookie
        #expect(PresentedCredential.token(Secret("t"), presentation).isAmbient)
        #expect(PresentedCredential.sessionCookie(SessionCookieCredential(name: "sid", value: Secret("v"))).isAmbient)
    }

    @Test(arguments: [
        (UInt16?.some(4001), 0.3, CheckReport.Verdict.pass),
        (4001, 4.9, .pass),
        (4001, 5.2, .fail),
        (1000, -0.8, .pass),  // `exp` is whole seconds: a close just before it is the expiry close
        (4003, -30, .pass),  // an auth code early: the server closed for credentials
        (1001, -30, .skip),  // going away long before exp: nothing was learnt about expiry
        (nil, 5.0, .fail),  // still open after the grace
    ])
    func theExpiryWatch(code: UInt16?, after: Double, expected: CheckReport.Verdict) {
        let finding = AuditRules.expiryWatch(
            code: code,
            reason: "",
            secondsAfterExpiry: after,
            grace: TimeSpan(seconds: 5)
        )
        #expect(finding.verdict == expected, "\(finding.detail)")
    }

    @Test func theWatchReportsWhenInTenthsOfASecond() {
        let finding = AuditRules.expiryWatch(
            code: 4001,
            reason: "token expired",
            secondsAfterExpiry: 0.34,
            grace: TimeSpan(seconds: 5)
        )
        #expect(
            finding.detail
                == #"the server closed with 4001 "token expired" (unauthorized / token expired) 0.3s after exp"#
        )
    }

    @Test func plainWebSocketsWarnOnlyOffThisMachine() throws {
        let remote = try WebSocketURL.parse("ws://api.example/ws")
        #expect(AuditRules.plainTransport(remote, sendsCredentials: true).verdict == .warn)
        #expect(AuditRules.plainTransport(remote, sendsCredentials: false).verdict == .pass)
        #expect(
            AuditRules.plainTransport(try WebSocketURL.parse("wss://api.example/ws"), sendsCredentials: true).verdict
                == .pass
        )
        #expect(
            AuditRules.plainTransport(try WebSocketURL.parse("ws://127.0.0.1:8080/ws"), sendsCredentials: true).verdict
                == .pass
        )
        for loopback in ["ws://localhost/ws", "ws://127.9.8.7/ws", "ws://[::1]:80/ws"] {
            #expect(
                AuditRules.plainTransport(try WebSocketURL.parse(loopback), sendsCredentials: true).verdict == .pass,
                "\(loopback)"
            )
        }
        let lookalike = AuditRules.plainTransport(
            try WebSocketURL.parse("ws://127.attacker.example/ws"),
            sendsCredentials: true
        )
        #expect(lookalike.verdict == .warn, "a name that starts with 127. is resolved by DNS")
    }

    @Test func theForeignOriginsFollowTheTarget() throws {
        let url = try WebSocketURL.parse("wss://app.example:8443/ws")
        func origin(_ variant: ForeignOrigin) -> String? { try? variant.origin(for: url).get() }
        #expect(origin(.foreign) == "https://evil.example")
        #expect(origin(.null) == "null")
        #expect(origin(.suffix) == "https://app.example.evil.example")
        #expect(origin(.prefix) == "https://evilapp.example:8443")
        #expect(origin(.scheme) == "http://app.example:8443")
        #expect((try? ForeignOrigin.scheme.origin(for: try WebSocketURL.parse("ws://app.example/ws")).get()) == nil)
    }
}

@Suite("Audit: choosing checks")
struct AuditCatalogueTests {
    @Test func everyCheckRunsByDefaultAndLogoutRunsLast() throws {
        let names = try AuditCatalogue.select(only: nil, skip: nil).map(\.name)
        #expect(names == CheckName.allCases)
        #expect(names.last == .afterLogout)
        let watch = try #require(names.firstIndex(of: .watchExpiry))
        let expired = try #require(names.firstIndex(of: .expiredToken))
        #expect(watch < expired)
    }

    @Test func onlyAndSkipTakeNamesAndGroups() throws {
        let only = try AuditCatalogue.select(only: "no-credentials, origin", skip: "origin-null").map(\.name)
        #expect(only == [.noCredentials, .originForeign, .originSuffix, .originPrefix, .originScheme])
        let skipped = try AuditCatalogue.select(only: nil, skip: "placement-*,watch-expiry").map(\.name)
        #expect(!skipped.contains(.placementQuery) && !skipped.contains(.watchExpiry) && skipped.contains(.algNone))
    }

    @Test(arguments: ["nonsense", "origin-,", ",", "placements"])
    func anUnknownNameIsAUsageError(list: String) {
        #expect(throws: Failure.self) { try AuditCatalogue.select(only: list, skip: nil) }
        do {
            _ = try AuditCatalogue.select(only: nil, skip: list)
        } catch {
            #expect(error.exitStatus == .usage)
        }
    }

    @Test func aSessionCookieIsNameEqualsValue() {
        let cookie = SessionCookieCredential(parsing: "sid=abc=def")
        #expect(cookie?.name == "sid" && cookie?.value.reveal() == "abc=def")
        #expect(SessionCookieCredential(parsing: "no-equals") == nil)
        #expect(SessionCookieCredential(parsing: "=value") == nil)
        #expect(SessionCookieCredential(parsing: "name=") == nil)
    }
}

@Suite("Audit: JUnit")
struct JUnitReportTests {
    @Test func failuresSkipsAndWarningsAreWhereCIsLookForThem() {
        let results = [
            AuditResult(report: CheckReport(name: "a", verdict: .pass, detail: "fine"), seconds: 0.01),
            AuditResult(
                report: CheckReport(name: "b", verdict: .fail, detail: #"accepted <"x"> & more"#),
                seconds: 1.5
            ),
            AuditResult(report: CheckReport(name: "c", verdict: .skip, detail: "no url"), seconds: 0),
            AuditResult(report: CheckReport(name: "d", verdict: .warn, detail: "query"), seconds: 0.2),
        ]
        let xml = JUnitReport(target: "ws://h/ws", timestamp: Timestamp(timeIntervalSince1970: 0), results: results).xml
        #expect(
            xml.contains(
                #"<testsuite name="wsauth audit" tests="4" failures="1" errors="0" skipped="1" time="1.710" timestamp="1970-01-01T00:00:00">"#
            )
        )
        #expect(xml.contains(#"<failure message="accepted &lt;&quot;x&quot;&gt; &amp; more" type="audit">"#))
        #expect(xml.contains(#"<skipped message="no url"/>"#))
        #expect(xml.contains("<system-out>WARN: query</system-out>"))
        #expect(xml.contains(#"<property name="warnings" value="1"/>"#))
    }

    @Test func anAuditStoppedBeforeItsChecksIsOneError() {
        let xml = JUnitReport(
            target: "ws://h/ws",
            timestamp: Timestamp.now,
            results: [],
            stopped: "credentials refused"
        ).xml
        #expect(xml.contains(#"tests="1" failures="0" errors="1" skipped="0""#))
        #expect(xml.contains(#"<error message="credentials refused" type="stopped">"#))
    }

    @Test func controlCharactersXMLCannotHoldAreDropped() {
        #expect(JUnitReport.escape("a\u{1}b\tc'") == "ab\tc&apos;")
    }
}
