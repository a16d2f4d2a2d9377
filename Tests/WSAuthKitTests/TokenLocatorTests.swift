import Testing

@testable import WSAuthKit

@Suite struct TokenLocatorTests {
    func locate(_ json: String, _ paths: TokenPaths = TokenPaths()) throws -> LocatedTokens {
        try TokenLocator.locate(in: try JSONValue.parse(json), paths: paths)
    }

    // Every fixture names a lifetime of 60 s somewhere the locator must find it.
    @Test(arguments: [
        #"{"access_token":"A","refresh_token":"R","expires_in":60}"#,
        #"{"data":{"access_token":"A","refresh_token":"R","expires_in":60}}"#,
        #"{"data":{"accessToken":"A","refreshToken":"R","expiresIn":60}}"#,
        #"{"token":"A","refreshToken":"R","expiresIn":"60"}"#,
        #"{"tokens":{"access":"A","refresh":"R"},"expires_in":60}"#,
        #"{"token":{"access_token":"A","refresh_token":"R","expires_in":60}}"#,
        #"{"accessToken":"A","refresh_token":"R","expires_in":60}"#,
    ])
    func findsTokensAtTheUsualPlaces(json: String) throws {
        let found = try locate(json)
        #expect(found.access?.reveal() == "A")
        #expect(found.refresh?.reveal() == "R")
        #expect(found.expiresIn == 60)
    }

    @Test func explicitPathsWin() throws {
        let found = try locate(
            #"{"access_token":"no","x":{"jwt":"A","r":"R","ttl":5}}"#,
            TokenPaths(access: "x.jwt", refresh: "x.r", expiresIn: "x.ttl")
        )
        #expect(found.access?.reveal() == "A")
        #expect(found.refresh?.reveal() == "R")
        #expect(found.expiresIn == 5)
    }

    @Test func missingExplicitPathIsExit3() throws {
        let json = try JSONValue.parse(#"{"access_token":"A"}"#)
        do throws(Failure) {
            _ = try TokenLocator.locate(in: json, paths: TokenPaths(access: "data.jwt"))
            Issue.record("expected a failure")
        } catch {
            #expect(error.exitStatus == .handshakeFailed)
            #expect(error.message.contains("data.jwt"))
            #expect(error.message.contains("access_token"))
        }
    }

    @Test func noTokenIsNil() throws {
        #expect(try locate(#"{"ok":true}"#).access == nil)
    }
}
