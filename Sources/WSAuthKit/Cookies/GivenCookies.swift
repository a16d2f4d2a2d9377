/// curl's `-b FILE|NAME=VALUE[; NAME=VALUE]`, read in one place: an argument
/// with `=` is a list of cookies, any other names a Netscape cookie file.
public enum GivenCookies {
    /// The cookies of `argument` for a request to `host`: literal ones are
    /// host-only session cookies for it, path `/` (as curl sends them to the URL
    /// given); a file's keep their own domains. A missing or unreadable file
    /// gives none, as curl starts its cookie engine with an empty jar then.
    public static func read(_ argument: String?, host: String) -> [NetscapeCookie] {
        guard let argument else { return [] }
        if argument.contains("=") { return NetscapeCookie.literal(argument, host: CookieRules.canonicalHost(host)) }
        guard let text = try? FileIO.readText(argument) ?? nil else { return [] }
        return NetscapeCookie.parseFile(text)
    }
}
