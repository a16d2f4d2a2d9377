/// The audit as SARIF 2.1.0 (OASIS), the format code scanning uploads read.
///
/// One rule per check of the catalogue, skipped and unselected ones included, so that
/// a rule's history survives a run that left it out; one result per WARN
/// (`warning`) and FAIL (`error`), located at the URL audited. Strings are
/// redacted by the JSON writer (`serialized(redactor:)`), before it escapes them.
public struct AuditSARIF {
    public var target: String
    public var results: [AuditResult]

    public init(target: String, results: [AuditResult]) {
        self.target = target
        self.results = results
    }

    static let schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    public var document: JSONValue {
        let rules = AuditCatalogue.all.map(\.name)
        let rulesJSON = rules.map { name in
            JSONValue.object([
                ("id", .string(name.rawValue)),
                ("shortDescription", .object([("text", .string(name.judges))])),
                ("help", .object([("text", .string(name.judges))])),
            ])
        }
        var resultsJSON: [JSONValue] = []
        for result in results {
            let level: String
            switch result.report.verdict {
            case .fail: level = "error"
            case .warn: level = "warning"
            case .pass, .skip: continue
            }
            var members: [(String, JSONValue)] = [("ruleId", .string(result.report.name))]
            if let index = rules.firstIndex(where: { $0.rawValue == result.report.name }) {
                members.append(("ruleIndex", .int(index)))
            }
            members += [
                ("level", .string(level)),
                ("message", .object([("text", .string(result.report.detail))])),
                (
                    "locations",
                    .array([
                        .object([
                            ("physicalLocation", .object([("artifactLocation", .object([("uri", .string(target))]))]))
                        ])
                    ])
                ),
            ]
            resultsJSON.append(.object(members))
        }
        let driver = JSONValue.object([
            ("name", .string("wsauth")),
            ("version", .string(WSAuthVersion.string)),
            ("rules", .array(rulesJSON)),
        ])
        return .object([
            ("$schema", .string(AuditSARIF.schema)),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        ("tool", .object([("driver", driver)])),
                        ("results", .array(resultsJSON)),
                    ])
                ])
            ),
        ])
    }

    public func text(redactor: Redactor) -> String {
        document.pretty(redactor: redactor) + "\n"
    }
}
