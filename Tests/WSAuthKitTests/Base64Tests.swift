import Testing

@testable import WSAuthKit

@Suite("Base64")
struct Base64Tests {
    /// RFC 4648 §10 test vectors.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func encodesAndDecodesRFC4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func urlAlphabetIsUnpadded() {
        let bytes = hex("fb ff fe")
        #expect(Base64.encode(bytes) == "+//+")
        #expect(Base64.encodeURLUnpadded(bytes) == "-__-")
        #expect(Base64.encodeURLUnpadded(Array("fo".utf8)) == "Zm8")
        #expect(Base64.encodeURLUnpadded(Array("f".utf8)) == "Zg")
    }

    @Test func decodesBothAlphabetsWithOrWithoutPadding() {
        #expect(Base64.decode("-__-") == hex("fb ff fe"))
        #expect(Base64.decode("+//+") == hex("fb ff fe"))
        #expect(Base64.decode("Zm8") == Array("fo".utf8))
        #expect(Base64.decode("Zg") == Array("f".utf8))
    }

    @Test(arguments: ["Zm9v!", "Z", "Zm9vY", "Zg=", "Z===", "Zg==Zg==", "Zm=8", "====", "Zm9v\n"])
    func rejectsMalformedInput(text: String) {
        #expect(Base64.decode(text) == nil, "\(text)")
    }

    @Test func roundTripsEveryLength() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 3) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(Base64.decode(Base64.encodeURLUnpadded(bytes)) == bytes)
        }
    }
}
