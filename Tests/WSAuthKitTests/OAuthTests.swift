import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The parts of the interactive OAuth 2.0 logins that need no server: PKCE's
/// vector, where metadata is looked for, the redirect's query, the requests.
@Suite struct OAuthTests {
    @Test func pkceChallengeMatchesRFC7636AppendixB() {
        let pkce = PKCE(verifier: Secret("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test func generatedVerifiersAreLongEnoughAndDiffer() {
        let (a, b) = (PKCE.generate().verifier.reveal(), PKCE.generate().verifier.reveal())
        #expect(a.count == 43 && b.count == 43 && a != b)
        #expect(a.allSatisfy { $0.isLetter || $0.isNumber || "-._~".contains($0) })
    }

    @Test func metadataIsLookedForAsOIDCThenRFC8414Say() {
        #expect(
            OAuthDiscovery.documentURLs(issuer: "https://id.example.com/") == [
                "https://id.example.com/.well-known/openid-configuration",
                "https://id.example.com/.well-known/oauth-authorization-server",
            ]
        )
        #expect(
            OAuthDiscovery.documentURLs(issuer: "https://example.com/realms/dev") == [
                "https://example.com/realms/dev/.well-known/openid-configuration",
                "https://example.com/.well-known/oauth-authorization-server/realms/dev",
            ]
        )
    }

    @Test func metadataWithoutATokenEndpointIsNotUsable() throws {
        #expect(OAuthMetadata.parse(try JSONValue.parse(#"{"issuer":"x"}"#)) == nil)
        let found = OAuthMetadata.parse(
            try JSONValue.parse(#"{"token_endpoint":"https://x/t","revocation_endpoint":"https://x/r"}"#)
        )
        #expect(
            found?.tokenEndpoint == "https://x/t" && found?.revocationEndpoint == "https://x/r" && found?.issuer == ""
        )
    }

    @Test func redirectQueryIsFormDecoded() {
        let query = RedirectQuery(target: "/callback?code=a%2Bb+c&state=s%3D&state=second&empty")
        #expect(query.path == "/callback")
        #expect(query["code"] == "a+b c" && query["state"] == "s=" && query["empty"] == "")
        #expect(RedirectQuery(target: "/favicon.ico").path == "/favicon.ico")
        #expect(RedirectQuery(target: "/callback?bad=%zz%4").parameters["bad"] == "%zz%4")
    }

    func login() -> InteractiveLogin {
        InteractiveLogin(
            metadata: OAuthMetadata(
                issuer: "https://id.example",
                authorizationEndpoint: "https://id.example/authorize?tenant=t",
                tokenEndpoint: "https://id.example/token",
                revocationEndpoint: "https://id.example/revoke"
            ),
            clientID: "cli ent",
            clientSecret: nil,
            scope: "openid profile",
            audience: "https://api",
            timeout: TimeSpan(seconds: 1)
        )
    }

    @Test func authorizationURLCarriesTheChallengeStateAndRedirect() {
        let flow = AuthorizationCodeFlow(
            login: login(),
            store: CredentialStore(
                profile: .standard,
                paths: Paths(configFile: "/nonexistent/c", stateDirectory: "/nonexistent")
            ),
            transport: TransportOptions(),
            openBrowser: false
        )
        let url = flow.authorizationURL(
            "https://id.example/authorize?tenant=t",
            redirectURI: "http://127.0.0.1:5/callback",
            state: "S",
            challenge: "C"
        )
        #expect(
            url
                == "https://id.example/authorize?tenant=t&response_type=code&client_id=cli%20ent&redirect_uri=http%3A%2F%2F127.0.0.1%3A5%2Fcallback&scope=openid%20profile&audience=https%3A%2F%2Fapi&state=S&code_challenge=C&code_challenge_method=S256"
        )
    }

    @Test func tokenExchangeIsAFormWithThePublicClientNamed() {
        let exchange = login().exchange(grantType: "authorization_code", [("code", "K"), ("code_verifier", "V")])
        let request = exchange.httpRequest(url: "https://id.example/token")
        #expect(
            String(decoding: request.body ?? [], as: UTF8.self)
                == "grant_type=authorization_code&code=K&code_verifier=V&client_id=cli%20ent"
        )
        let device = login().exchange(grantType: nil, [("scope", "s")]).httpRequest(url: "u")
        #expect(String(decoding: device.body ?? [], as: UTF8.self) == "scope=s&client_id=cli%20ent")
    }

    @Test func loginRequestKeepsTheDiscoveredEndpoints() {
        let request = login().loginRequest(login().exchange(grantType: "x", []))
        #expect(request.url == "https://id.example/token" && request.revocationURL == "https://id.example/revoke")
        #expect(
            request.refreshEndpoint
                == RefreshEndpoint(url: "https://id.example/token", style: .oauth2, clientID: "cli ent")
        )
    }

    @Test func theLoopbackListenerTimesOutAndClosesItsPort() throws {
        let listener = try LoopbackListener()
        #expect(listener.port > 0)
        let started = Clock.now()
        #expect(listener.nextRequest(deadline: .after(seconds: 0.2)) == nil)
        #expect(Clock.now() - started < 5)
        listener.close()
    }

    @Test func idTokenAndRevocationURLSurviveTheStore() throws {
        var credentials = Credentials(
            accessToken: Secret("A"),
            refreshToken: nil,
            tokenType: "Bearer",
            expiresAt: nil,
            user: nil,
            cookies: [],
            loginCookieNames: [],
            refreshEndpoint: nil,
            obtainedAt: Timestamp(timeIntervalSince1970: 1)
        )
        credentials.idToken = Secret("I")
        credentials.revocationURL = "https://id.example/revoke"
        let read = try Credentials.parse(credentials.json()).get()
        #expect(read.idToken?.reveal() == "I" && read.revocationURL == "https://id.example/revoke")
        #expect(read.secrets.contains(Secret("I")))
    }
}
