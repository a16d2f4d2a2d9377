import Testing

@testable import WSAuthKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What output may show (docs/reference/behaviour.md "Conventions"): registered secrets in every form
/// they travel in, short secrets, the prefix, and what a server sends made inert.
@Suite("Redactor")
struct RedactorTests {
    /// `/`, `+`, `=` and a space make every encoding differ from the raw value.
    static let secret = "s3cr/et+to=ken value-0123456789"

    static func redactor(_ secrets: String...) -> Redactor {
        let redactor = Redactor(showSecrets: false)
        for secret in secrets { redactor.register(Secret(secret)) }
        return redactor
    }

    static let encodings: [(String, String)] = [
        ("raw", secret),
        ("base64", "czNjci9ldCt0bz1rZW4gdmFsdWUtMDEyMzQ1Njc4OQ=="),
        ("base64 unpadded", "czNjci9ldCt0bz1rZW4gdmFsdWUtMDEyMzQ1Njc4OQ"),
        ("base64url", "czNjci9ldCt0bz1rZW4gdmFsdWUtMDEyMzQ1Njc4OQ"),
        ("percent, uppercase hex", "s3cr%2Fet%2Bto%3Dken%20value-0123456789"),
        ("percent, lowercase hex", "s3cr%2fet%2bto%3dken%20value-0123456789"),
        ("form body", "s3cr%2Fet%2Bto%3Dken+value-0123456789"),
        ("JSON with \\/", #"s3cr\/et+to=ken value-0123456789"#),
        ("JSON \\u00xx", #"s3cr\u002fet\u002bto\u003dken\u0020value\u002d0123456789"#),
        ("JSON \\u00XX", #"s3cr\u002Fet\u002Bto\u003Dken\u0020value\u002D0123456789"#),
    ]

    @Test(arguments: encodings)
    func everyEncodingIsRedacted(name: String, form: String) {
        let shown = Self.redactor(Self.secret).shown("server said: \(form) (\(name))")
        #expect(!shown.contains(form), "\(name) leaked: \(shown)")
        #expect(shown.contains("(redacted, "))
    }

    @Test func base64urlDiffersFromBase64WhenTheBytesNeedIt() {
        let secret = "\u{FB}\u{FF}>?token-with-high-bytes"
        let url = Base64.encodeURLUnpadded(Array(secret.utf8))
        #expect(url.contains("-") || url.contains("_"))
        #expect(!Self.redactor(secret).text("x \(url) y").contains(url))
    }

    /// `Basic base64(user:password)` or a token inside an encoded JSON document: the
    /// secret's own encoding is not there, the groups made of its bytes are.
    @Test(arguments: ["user:", "us:", "u:"])
    func aSecretInsideALongerBase64TextIsRedacted(before: String) {
        let encoded = Base64.encode(Array((before + Self.secret + "\"}").utf8))
        let shown = Self.redactor(Self.secret).text("Authorization: Basic \(encoded)")
        #expect(!shown.contains(encoded))
        #expect(shown.contains("(redacted, "))
    }

    /// A body or error description shortened before it is shown can end inside a token.
    @Test func aSecretCutShortAtTheEndOfAValueIsRedacted() {
        let redactor = Self.redactor(Self.secret)
        let cut = String(Self.secret.prefix(20))
        #expect(redactor.text("body: '\(cut)' (truncated)") == "body: '…(redacted, 20 chars)' (truncated)")
        #expect(redactor.text("body: \(cut)") == "body: …(redacted, 20 chars)")
        // Less than half, or going on with other token characters: not the secret.
        #expect(redactor.text("x \(Self.secret.prefix(12)) y") == "x \(Self.secret.prefix(12)) y")
        #expect(redactor.text("\(cut)Zq") == "\(cut)Zq")
    }

    @Test func aJWTSignatureAloneIsRedacted() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
        let shown = Self.redactor(jwt).text(
            #"eyJhbGciOiJIUzI1NiJ9\\u002eeyJzdWIiOiJhbGljZSJ9\\u002ec2lnbmF0dXJlLW9mLXRoZS10b2tlbg"#
        )
        #expect(!shown.contains("c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"))
    }

    @Test func theRawFormShowsAPrefixOfAnEighthAtMostSix() {
        let token = "eyJhbGciOiJIUzI1NiJ9." + String(repeating: "a", count: 791)
        #expect(Secret.redact(token) == "eyJhbG…(redacted, 812 chars)")
        #expect(Secret.redact(String(repeating: "x", count: 16)) == "xx…(redacted, 16 chars)")
        #expect(Secret.redact(String(repeating: "x", count: 40)) == "xxxxx…(redacted, 40 chars)")
    }

    @Test(arguments: ["a", "pw", "hunter2", "fifteen-chars-x"])
    func aSecretUnder16CharactersShowsNoPrefix(secret: String) {
        #expect(Secret.redact(secret) == "…(redacted, \(secret.count) chars)")
        #expect(Self.redactor(secret).text("[\(secret)]") == "[…(redacted, \(secret.count) chars)]")
    }

    @Test func encodedFormsShowNoPrefix() {
        let shown = Self.redactor(Self.secret).text("czNjci9ldCt0bz1rZW4gdmFsdWUtMDEyMzQ1Njc4OQ==")
        #expect(shown == "…(redacted, 44 chars)")
    }

    /// A one-letter password is a secret too, but only where it stands as a value.
    @Test func aShortSecretIsRedactedOnlyAsAWholeValue() {
        let redactor = Self.redactor("pw1")
        #expect(redactor.text(#"{"password":"pw1"}"#) == #"{"password":"…(redacted, 3 chars)"}"#)
        #expect(redactor.text("password=pw1&user=a") == "password=…(redacted, 3 chars)&user=a")
        #expect(redactor.text("pw1") == "…(redacted, 3 chars)")
        #expect(redactor.text("upw12 and apw1") == "upw12 and apw1")
        #expect(Self.redactor("a").text("a cat") == "…(redacted, 1 chars) cat")
    }

    @Test func theLongestSecretWinsAndReplacementsAreNotSearchedAgain() {
        let long = "abcdefghijklmnopqrstuvwxyz"
        let redactor = Self.redactor("abcdefgh", long, "26")
        #expect(redactor.text("<\(long)>") == "<abc…(redacted, 26 chars)>")
    }

    @Test func showSecretsShowsThemButStillEscapes() {
        let redactor = Redactor(showSecrets: true)
        redactor.register(Secret(Self.secret))
        #expect(redactor.shown("\(Self.secret)\u{1B}[2J") == "\(Self.secret)^[[2J")
        #expect(redactor.containsSecret("x \(Self.secret)"))
    }

    @Test func credentialHeadersAreRedactedByName() {
        let redactor = Redactor(showSecrets: false)
        for name in ["Authorization", "Cookie", "X-Auth-Token", "X-Api-Key", "Client-Secret", "X-Session-Id"] {
            #expect(Redactor.isCredentialHeader(name), "\(name)")
            #expect(!redactor.headerValue(name: name, value: "Bearer abcdefghijklmnopqrstuvwxyz").contains("mnop"))
        }
        #expect(!Redactor.isCredentialHeader("Content-Type"))
        #expect(!Redactor.isCredentialHeader("Sec-WebSocket-Key"))
        #expect(
            redactor.headerValue(name: "Cookie", value: "sid=abcdefghijklmnop; theme=dark")
                == "sid=ab…(redacted, 16 chars); theme=…(redacted, 4 chars)"
        )
    }

    /// The two leaks issue 21 reported of the encoding list: Python's `quote()`, which
    /// keeps `/`, and a password echoed in JSON with `\/`; and HTML entities.
    @Test(arguments: [
        "s3cr/et%2Bto%3Dken%20value-0123456789",
        #"s3cr\/et+to=ken value-0123456789"#,
        "s3cr&#47;et&#x2b;to&#61;ken&#32;value&#x2D;0123456789",
        #"s3cr%2f&#101;t\u002Bto=ken+value-0123456789"#,
    ])
    func mixesOfEncodingsAreRedacted(form: String) {
        #expect(Self.redactor(Self.secret).text("said: \(form)!") == "said: …(redacted, \(form.count) chars)!")
    }

    @Test func aSecretWithMarkupCharactersDoesNotSurviveJUnitEscaping() {
        let password = #"p&ss<w>rd"quote'd"#
        let redactor = Self.redactor(password)
        let report = JUnitReport(
            target: "ws://h/?x=\(password)",
            timestamp: Timestamp(timeIntervalSince1970: 0),
            results: [],
            stopped: "refused \(password)",
            redactor: redactor
        )
        let xml = report.xml
        #expect(!xml.contains("p&amp;ss&lt;w&gt;rd"))
        #expect(xml.contains("refused p&amp;…(redacted, 17 chars)"))  // the prefix, escaped
    }

    @Test(arguments: [
        "apikey", "Token", "X-Auth", "X-Amz-Signature", "X-JWT", "Password", "X-Session-Id", "Set-Cookie",
    ])
    func headersNamedWithACredentialWordAreRedacted(name: String) {
        #expect(Redactor.isCredentialHeader(name))
        #expect(
            !Redactor(showSecrets: false).headerValue(name: name, value: "abcdefghijklmnopqrstuvwxyz").contains("mnop")
        )
    }

    @Test(arguments: [
        "Sec-WebSocket-Key", "Sec-WebSocket-Accept", "WWW-Authenticate", "Proxy-Authenticate", "Content-Type",
        "Keep-Alive",
    ])
    func handshakeNoncesAndChallengesAreNotCredentialHeaders(name: String) {
        #expect(!Redactor.isCredentialHeader(name))
    }

    @Test func credentialQueryValuesOfAURLAreSecrets() {
        let url =
            "wss://h/ws?access_token=a%2Fb-tok-1&room=lobby&jwt=eyJ.xx.yy&apikey=K1234567&X-Amz-Signature=f00dfeed&auth=message#frag"
        let secrets = URLQuerySecrets.secrets(in: url).map { $0.reveal() }
        // `auth=message` is too short to be taken for a credential on its name alone.
        #expect(secrets == ["a%2Fb-tok-1", "a/b-tok-1", "eyJ.xx.yy", "K1234567", "f00dfeed"])
        let arguments = [
            "wsauth", "logout", "--revoke-url=https://u:pw@h/r?token=T1234567", "ws://h/?session=S1234567&x=y",
        ]
        #expect(
            URLQuerySecrets.secrets(inArguments: arguments).map { $0.reveal() } == [
                "T1234567", "u:pw", "pw", "S1234567",
            ]
        )
        let redactor = Redactor(showSecrets: false)
        redactor.register(URLQuerySecrets.secrets(in: url))
        #expect(
            redactor.text(url) == "wss://h/ws?access_token=…(redacted, 11 chars)&room=lobby&jwt=…(redacted, 9 chars)"
                + "&apikey=…(redacted, 8 chars)&X-Amz-Signature=…(redacted, 8 chars)&auth=message#frag"
        )
    }

    @Test func binaryMessagesAreRedactedAsBytes() {
        let redactor = Self.redactor(Self.secret)
        let message: [UInt8] = [0, 0xFF] + Array(Self.secret.utf8) + [0x1B]
        #expect(redactor.bytes(message) == [0, 0xFF] + Array("s3c…(redacted, 31 chars)".utf8) + [0x1B])
        #expect(Redactor(showSecrets: true).bytes(message) == message)
    }

    /// The firehose's path copies plain text as it is and otherwise says what `shown` says.
    @Test(arguments: [
        "plain ascii message 0123456789 of more than eight bytes", "",
        "\u{1B}[2J cleared", "tab\tand\nline", "unicode · é 日本 \u{202E}",
        "said \(RedactorTests.secret) twice: \(RedactorTests.secret)", "100% & \\n not it",
    ])
    func appendingShownTextIsShown(text: String) {
        let redactor = Self.redactor(Self.secret)
        var out: [UInt8] = [0x3E]
        redactor.appendShown(text, to: &out)
        #expect(out == [0x3E] + Array(redactor.shown(text).utf8))
        var plain: [UInt8] = []
        Redactor(showSecrets: false).appendShown(text, to: &plain)
        #expect(plain == Array(TerminalText.escape(text).utf8))
    }

    @Test func theCredentialsOfFlagsAndURLsAreSecrets() {
        var transport = TransportOptions()
        transport.headers = [
            HTTPHeader(name: "Authorization", value: "Bearer T0KEN-1"),
            HTTPHeader(name: "Accept", value: "text/plain"),
        ]
        transport.cookie = "PHPSESSID=abc123; theme=dark"
        transport.proxy = "http://proxyuser:proxy-pass@proxy:3128"
        let secrets = Set(transport.secrets.map { $0.reveal() })
        #expect(secrets.isSuperset(of: ["Bearer T0KEN-1", "T0KEN-1", "abc123", "dark", "proxy-pass"]))
        #expect(!secrets.contains("text/plain"))
        #expect(URLUserinfo.secrets(in: "https://al:pw@h/x").map { $0.reveal() } == ["al:pw", "pw"])
        #expect(URLUserinfo.secrets(in: "https://h/x?a=b@c").isEmpty)
    }
}

@Suite("Terminal text")
struct TerminalTextTests {
    @Test(arguments: [
        ("\u{1B}[31mred\u{1B}[0m", "^[[31mred^[[0m"),
        ("\u{1B}]8;;https://evil/\u{07}click\u{1B}]8;;\u{07}", "^[]8;;https://evil/^Gclick^[]8;;^G"),
        ("over\rwrite", "over^Mwrite"),
        ("nul\u{0}del\u{7F}", "nul^@del^?"),
        ("c1 \u{9B}31m", "c1 \\u{9b}31m"),
        ("bidi \u{202E}txt.exe", "bidi \\u{202e}txt.exe"),
        ("keeps\ttabs\nand lines", "keeps\ttabs\nand lines"),
        ("plain ascii", "plain ascii"),
        ("unicode · — é 日本", "unicode · — é 日本"),
    ])
    func controlsAreShownNotObeyed(input: String, shown: String) {
        #expect(TerminalText.escape(input) == shown)
    }

    /// The word-at-a-time scan agrees with a byte-at-a-time one, at every length and
    /// alignment, on texts with and without bytes that need a closer look.
    @Test func theFastScanAgreesWithTheByteByByteOne() {
        var random = SplitMix(seed: 0x5CA7)
        let interesting: [UInt8] = [0x00, 0x07, 0x09, 0x0A, 0x1B, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0xC2, 0xE2, 0xFF]
        for _ in 0..<3000 {
            var bytes = (0..<random.next(in: 0...100)).map { _ in UInt8(random.next(in: 0x20...0x7E)) }
            if !bytes.isEmpty, random.next(in: 0...1) == 1 {
                bytes[random.next(in: 0...(bytes.count - 1))] =
                    interesting[random.next(in: 0...(interesting.count - 1))]
            }
            let expected = bytes.contains { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 >= 0x7F }
            let scanned = bytes.withUnsafeBufferPointer { OutputScan.scan($0, starts: nil) }
            #expect(scanned.mayNeedEscaping == expected, "\(bytes)")
        }
    }

    @Test func noRawControlByteSurvives() {
        let all = String(String.UnicodeScalarView((0..<0xA0).compactMap(Unicode.Scalar.init)))
        let shown = TerminalText.escape(all)
        #expect(
            !shown.unicodeScalars.contains {
                ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
            }
        )
    }

    @Test func jsonEscapesEveryC0ControlDELAndC1() throws {
        let all = String(String.UnicodeScalarView((0..<0xA0).compactMap(Unicode.Scalar.init)))
        let line = JSONValue.string(all).serialized()
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(try JSONValue.parse(line) == .string(all))
    }

    @Test func jsonKeysAreRedactedToo() {
        let redactor = Redactor(showSecrets: false)
        redactor.register(Secret("key-that-is-a-token-1234"))
        let line = JSONValue.object([("key-that-is-a-token-1234", .string("v"))]).serialized(redactor: redactor)
        #expect(!line.contains("key-that-is-a-token-1234"))
    }
}
