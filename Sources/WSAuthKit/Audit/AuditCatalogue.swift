/// Every check in the order they run, and the choice `--only`/`--skip` make of them.
///
/// Order matters twice: `watch-expiry` runs before `expired-token` (which then tries
/// the token the watch saw expire), and `after-logout` runs last because it revokes
/// the credentials every other check uses.
public enum AuditCatalogue {
    public static var all: [AuditCheck] {
        [.plainWS, .loginCookies, .noCredentials, .malformedToken, .tamperedSignature, .algNone]
            + AuditCheck.placements + AuditCheck.origins
            + [.watchExpiry, .expiredToken, .afterLogout]
    }

    /// The checks `--only` and `--skip` leave. Each list is comma-separated names, or
    /// a group: `placement` or `placement-*` for every `placement-…` check.
    public static func select(only: String?, skip: String?) throws(Failure) -> [AuditCheck] {
        let chosen = try only.map { (text) throws(Failure) in try names(in: text, flag: "--only") }
        let dropped = try skip.map { (text) throws(Failure) in try names(in: text, flag: "--skip") } ?? []
        return all.filter { check in
            (chosen?.contains(check.name) ?? true) && !dropped.contains(check.name)
        }
    }

    static func names(in list: String, flag: String) throws(Failure) -> Set<CheckName> {
        var names: Set<CheckName> = []
        for item in list.split(separator: ",").map({ String($0.trimmingSpaces()) }) where !item.isEmpty {
            if let name = CheckName(rawValue: item) {
                names.insert(name)
                continue
            }
            let group = item.hasSuffix("-*") ? String(item.dropLast(2)) : item
            let members = CheckName.allCases.filter { $0.rawValue.hasPrefix(group + "-") }
            guard !members.isEmpty else {
                let known = CheckName.allCases.map(\.rawValue).joined(separator: ", ")
                throw Failure.usage(
                    "unknown check '\(item)' in \(flag); the checks are: \(known) (or a group: placement, origin)"
                )
            }
            names.formUnion(members)
        }
        guard !names.isEmpty else { throw Failure.usage("\(flag) names no check") }
        return names
    }
}
