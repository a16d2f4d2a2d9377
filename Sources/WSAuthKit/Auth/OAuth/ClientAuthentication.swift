/// How an OAuth client identifies itself to the provider (RFC 6749 §2.3.1): a
/// client with a secret uses HTTP Basic; one without names itself in
/// `client_id` (§3.2.1). The secret rides only on a kind of request that
/// authenticates the client (`RequestKind.mayCarryClientSecret`).
enum ClientAuthentication {
    /// Adds the client to `headers` or `form`; true when it authenticated with its secret.
    @discardableResult
    static func apply(clientID: String?, secret: Secret?, kind: RequestKind,
                      headers: inout [HTTPHeader], form: inout [(String, String)]) -> Bool {
        guard let clientID else { return false }
        if let secret, kind.mayCarryClientSecret {
            // §2.3.1: both parts form-encoded before they are joined.
            let pair = URLEncoding.encodeComponent(clientID) + ":" + URLEncoding.encodeComponent(secret.reveal())
            headers.append(HTTPHeader(name: "Authorization", value: "Basic " + Base64.encode(Array(pair.utf8))))
            return true
        }
        form.append(("client_id", clientID))
        return false
    }
}
