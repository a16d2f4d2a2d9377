import Testing

@testable import WSAuthKit

@Suite("Close codes")
struct CloseCodeTests {
    @Test func namedCodesHaveTheirRegistryValues() {
        let pairs: [(CloseCode, UInt16)] = [
            (.normalClosure, 1000), (.goingAway, 1001), (.protocolError, 1002), (.unsupportedData, 1003),
            (.noStatusReceived, 1005), (.abnormalClosure, 1006), (.invalidPayload, 1007), (.policyViolation, 1008),
            (.messageTooBig, 1009), (.mandatoryExtension, 1010), (.internalError, 1011), (.serviceRestart, 1012),
            (.tryAgainLater, 1013), (.badGateway, 1014), (.tlsHandshake, 1015),
        ]
        for (code, value) in pairs { #expect(code.rawValue == value) }
    }

    @Test func sendableFollowsRFC6455AndTheIANARegistry() {
        let sendable: [UInt16] = [
            1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999,
        ]
        let notSendable: [UInt16] = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]
        for value in sendable { #expect(CloseCode(value).isSendable, "\(value)") }
        for value in notSendable { #expect(!CloseCode(value).isSendable, "\(value)") }
    }

    @Test func explainsConventionsAndRanges() {
        #expect(CloseCode(4001).name == "unauthorized / token expired")
        #expect(CloseCode(4004).meaning.hasPrefix("Discord"))
        #expect(CloseCode(4408).name == "connection initialisation timeout")
        #expect(CloseCode(3000).name == "unauthorized")
        #expect(CloseCode(3123).meaning == "Registered with IANA for libraries and frameworks (RFC 6455 §7.4.2).")
        #expect(CloseCode(4123).meaning == "Private use: application-defined (RFC 6455 §7.4.2).")
        #expect(CloseCode(2000).name == "reserved")
        #expect(CloseCode(999).name == "invalid")
        #expect(CloseCode(5000).name == "invalid")
    }

    @Test func catalogueIsOrderedAndExplainsEachCode() {
        let values = CloseCode.catalogue.map(\.rawValue)
        #expect(values == values.sorted())
        #expect(Set(values).count == values.count)
        for value in UInt16(1000)...1015 { #expect(values.contains(value), "\(value)") }
        for value in [3000, 3003, 3008, 4001, 4003, 4004, 4009, 4400, 4401, 4403, 4406, 4408, 4409, 4429, 4499, 4500]
            as [UInt16]
        {
            #expect(values.contains(value), "\(value)")
        }
        for code in CloseCode.catalogue {
            #expect(!code.name.isEmpty)
            #expect(code.meaning.hasSuffix("."), "\(code)")
            #expect(!code.meaning.hasPrefix("Private use"), "\(code) has no specific explanation")
        }
    }

    @Test func defaultAuthCodes() {
        #expect(CloseCode.defaultAuthCodes == [4001, 4003, 4401, 4403, .policyViolation])
    }

    @Test func comparesAndPrintsByValue() {
        #expect(CloseCode.normalClosure < CloseCode.goingAway)
        #expect(CloseCode(rawValue: 4001) == 4001)
        #expect("\(CloseCode(4001))" == "4001")
    }
}

/// `--close` and the REPL's `/close` share one check (CloseRequest).
@Suite("Close requests")
struct CloseRequestTests {
    @Test func aSendableCodeAndAShortReasonMakeARequest() throws {
        let request = try CloseRequest(code: "4000", reason: "bye")
        #expect(request.code == CloseCode(rawValue: 4000) && request.reason == "bye")
        #expect(try SessionScript.readClose("1000").code == .normalClosure)
    }

    @Test(arguments: ["1005", "1006", "1015", "1004", "2999", "5000", "x", ""])
    func aCodeOnlyReportedLocallyOrReservedIsRefused(code: String) {
        #expect(throws: CloseRequest.Problem.unsendableCode) { try CloseRequest(code: code, reason: "") }
    }

    @Test func aReasonMustFitTheControlFrame() throws {
        #expect(try CloseRequest(code: "1000", reason: String(repeating: "a", count: 123)).reason.utf8.count == 123)
        #expect(throws: CloseRequest.Problem.reasonTooLong) {
            try CloseRequest(code: "1000", reason: String(repeating: "é", count: 62))
        }
        #expect(throws: ArgumentProblem.self) {
            try SessionScript.readClose("1000:" + String(repeating: "a", count: 124))
        }
    }
}
