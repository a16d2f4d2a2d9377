import HTTPTypes

extension HTTPField.Name {
    /// The session ID as a header, for clients without cookies (mobile apps, mini-programs).
    static let sessionToken = HTTPField.Name("X-Session-Token")!
}
