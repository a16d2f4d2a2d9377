/// The checks of `wsauth doctor`, in the order they run (docs/reference/behaviour.md `wsauth doctor`).
public enum DoctorCheck: String, Sendable, CaseIterable {
    case reach, upgrade, app, token, cookies, placement, consistency, idle
}

/// A finding and, when it blocks the handshake, the exit code it means.
public struct DoctorFinding: Sendable, Equatable {
    public var report: FindingReport
    /// Set on a blocking finding (2, 3, 4 or 5); nil for ok and warnings.
    public var blocking: ExitStatus?
    /// The failure the finding reads, when it reads one (reach): what the last line's kind says.
    public var cause: FailureCause?
    /// The upgrade's finding that the server wants an `Origin`: then the credentials were
    /// never the problem, and neither repeating them nor moving them is a fix.
    public var wantsOrigin = false

    public init(
        _ check: DoctorCheck,
        _ severity: FindingReport.Severity,
        _ detail: String,
        fix: String? = nil,
        blocking: ExitStatus? = nil
    ) {
        report = FindingReport(check: check.rawValue, severity: severity, detail: detail, fix: fix)
        self.blocking = severity == .error ? (blocking ?? .failure) : nil
    }

    /// A 401/403 with nothing more to say, or an app's refusal (whose fix only says
    /// where to look): a symptom that other findings (placement, token) explain.
    var isBareRefusal: Bool {
        guard blocking == .authRejected else { return false }
        return report.check == DoctorCheck.app.rawValue
            || (report.check == DoctorCheck.upgrade.rawValue && report.fix == nil)
    }

    /// The last stderr line of a blocking finding, with its fix; the kind from the
    /// exit code and, for a network failure, the failure's cause (a TLS one says tls).
    public var failure: Failure {
        let exit = blocking ?? .failure
        let kind: FailureKind =
            switch exit {
            case .authRejected: .auth
            case .handshakeFailed: .handshake
            case .networkFailure: if case .tls? = cause { .tls } else { .network }
            case .timeout: .timeout
            default: .internal
            }
        let fix = report.fix.map { "; fix: \($0)" } ?? ""
        return Failure(kind, "doctor: \(report.check): \(report.detail)\(fix)", exit: exit)
    }

    public static func ok(_ check: DoctorCheck, _ detail: String) -> DoctorFinding {
        DoctorFinding(check, .ok, detail)
    }

    public static func warn(_ check: DoctorCheck, _ detail: String, fix: String?) -> DoctorFinding {
        DoctorFinding(check, .warn, detail, fix: fix)
    }

    public static func error(_ check: DoctorCheck, _ detail: String, fix: String?, exit: ExitStatus) -> DoctorFinding {
        DoctorFinding(check, .error, detail, fix: fix, blocking: exit)
    }
}

/// The whole diagnosis: findings in the order the report shows them (the
/// blocking one first, then the warnings, then what was fine) and the exit status.
public struct DoctorDiagnosis: Sendable {
    public private(set) var findings: [DoctorFinding] = []

    public init() {}

    public mutating func add(_ finding: DoctorFinding) { findings.append(finding) }
    public mutating func add(_ more: [DoctorFinding]) { findings += more }

    /// The blocking finding that came first in check order decides the exit code.
    public var exitStatus: ExitStatus {
        findings.first { $0.blocking != nil }?.blocking ?? .success
    }

    /// Errors, then warnings, then what was fine. Among errors a cause (the token,
    /// a placement, the workers) comes before the bare "refused" it explains.
    public var ordered: [DoctorFinding] {
        let rank: (DoctorFinding) -> Int = { finding in
            switch finding.report.severity {
            case .error: finding.isBareRefusal ? 1 : 0
            case .warn: 2
            case .ok: 3
            }
        }
        return findings.enumerated().sorted { lhs, rhs in
            let (l, r) = (rank(lhs.element), rank(rhs.element))
            return l != r ? l < r : lhs.offset < rhs.offset
        }.map(\.element)
    }
}
