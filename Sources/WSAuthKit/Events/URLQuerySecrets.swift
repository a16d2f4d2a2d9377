/// Values of query parameters whose names say they carry a credential
/// (`?access_token=`, `?jwt=`, `?apikey=`, `X-Amz-Signature=`: a name with one of
/// `Redactor.credentialWords`), as given and form-decoded (RFC 3986 §3.4).
///
/// Only for URLs the user gave (the command line, a profile, a remembered login):
/// a URL a server hands us is not trusted to say what we must hide. And only values
/// of `shortestValue` characters or more: the name is a guess, and a short value
/// is a switch more often than a credential (the reference server's `?auth=message`),
/// which would blank that word wherever it stands.
public enum URLQuerySecrets {
    public static let shortestValue = 8

    public static func secrets(in url: String) -> [Secret] {
        guard let question = url.firstIndex(of: "?") else { return [] }
        let query = url[url.index(after: question)...].prefix { $0 != "#" }
        var found: [Secret] = []
        for pair in query.split(separator: "&") {
            guard let eq = pair.firstIndex(of: "=") else { continue }
            let name = RedirectQuery.decode(pair[..<eq])
            let value = pair[pair.index(after: eq)...]
            guard Redactor.isCredentialName(name), value.count >= shortestValue else { continue }
            found.append(Secret(String(value)))
            let decoded = RedirectQuery.decode(value)
            if decoded != value { found.append(Secret(decoded)) }
        }
        return found
    }

    /// Every URL on the command line, alone (`ws://…`) or as a flag's value
    /// (`--revoke-url=https://…`): its credential query values and its userinfo.
    public static func secrets(inArguments arguments: [String]) -> [Secret] {
        arguments.flatMap { argument -> [Secret] in
            guard argument.utf8.contains(0x3A), let scheme = argument.firstRange(of: "://") else { return [] }
            let start =
                argument[..<scheme.lowerBound].lastIndex(of: "=").map { argument.index(after: $0) }
                ?? argument.startIndex
            let url = String(argument[start...])
            return secrets(in: url) + URLUserinfo.secrets(in: url)
        }
    }
}
