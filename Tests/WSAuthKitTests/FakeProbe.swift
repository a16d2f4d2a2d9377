@testable import WSAuthKit

/// The one `HandshakeProbe` of the unit tests: answers each plan from a rule instead
/// of the wire, and records what it was asked (the wire side: Tests/interop/test_doctor.py
/// and test_audit.py).
final class FakeProbe: HandshakeProbe {
    let answer: (HandshakePlan) -> ProbeOutcome
    private(set) var plans: [HandshakePlan] = []
    var attempts: Int { plans.count }
    /// What `hold` answers, and what it was asked.
    var holding = HoldOutcome.held(opened: 0, ending: .stillOpen, ended: 0)
    private(set) var held: [(span: TimeSpan, pingEvery: TimeSpan?)] = []

    init(_ answer: @escaping (HandshakePlan) -> ProbeOutcome) { self.answer = answer }

    /// 101 and kept open for what `accepts`, else 401.
    convenience init(accepts: @escaping (HandshakePlan) -> Bool) {
        self.init { accepts($0) ? FakeProbe.accepted($0) : FakeProbe.rejected($0, 401) }
    }

    func attempt(_ plan: HandshakePlan) -> ProbeOutcome {
        plans.append(plan)
        return answer(plan)
    }

    func hold(_ plan: HandshakePlan, for span: TimeSpan, pingEvery: TimeSpan?) -> HoldOutcome {
        held.append((span, pingEvery))
        return holding
    }

    static func report(_ plan: HandshakePlan) -> HandshakeReport {
        HandshakeReport.switched(url: plan.url.description, requestLine: "GET")
    }

    static func accepted(_ plan: HandshakePlan) -> ProbeOutcome {
        .accepted(report(plan), settle: TimeSpan(seconds: 0.5))
    }

    static func rejected(
        _ plan: HandshakePlan,
        _ status: Int,
        headers: [HTTPHeader] = [],
        challenge: String? = nil
    ) -> ProbeOutcome {
        .rejected(
            RejectionReport(
                url: plan.url.description,
                status: status,
                statusLine: "HTTP/1.1 \(status) Whatever",
                headers: headers,
                body: "",
                wwwAuthenticate: challenge
            )
        )
    }
}
