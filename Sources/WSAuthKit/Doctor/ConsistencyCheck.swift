/// consistency: the same handshake N times. Some refused and some accepted means the
/// servers behind the URL do not agree on the credentials — typically sessions kept
/// in one worker's memory behind a load balancer.
public enum ConsistencyCheck {
    /// `first` is the handshake already made; `count` the total wanted (`--repeat`).
    public static func run(
        _ plan: HandshakePlan,
        first: ProbeOutcome,
        count: Int,
        probe: any HandshakeProbe
    ) -> DoctorFinding {
        var outcomes = [first.isAccepted]
        while outcomes.count < count { outcomes.append(probe.attempt(plan).isAccepted) }
        return judge(accepted: outcomes.filter { $0 }.count, of: outcomes.count)
    }

    public static func judge(accepted: Int, of total: Int) -> DoctorFinding {
        let refused = total - accepted
        if refused == 0 {
            return .ok(.consistency, "\(total) of \(total) handshakes accepted with the same credentials")
        }
        if accepted == 0 {
            return .ok(
                .consistency,
                "\(total) of \(total) handshakes refused alike: the refusal does not depend on which server answers"
            )
        }
        return .error(
            .consistency,
            "\(refused) of \(total) refused with the same credentials: sessions are not shared between the server's workers",
            fix: "keep sessions in a shared store such as Redis, or make the balancer sticky",
            exit: .authRejected
        )
    }
}
