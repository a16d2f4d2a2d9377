/// The endpoints of an OAuth provider that authenticate the client (RFC 6749
/// §2.3.1, RFC 8628 §3.1, RFC 7009 §2.1): the only requests that may carry its secret.
enum ProviderEndpoint {
    case token
    case deviceAuthorization
    case revocation
}

/// How an OAuth client identifies itself to the provider (RFC 6749 §2.3.1): a
/// client with a secret uses HTTP Basic; one without names itself in
/// `client_id` (§3.2.1). Only a `ProviderEndpoint` request can take the secret.
enum ClientAuthentication {
    /// Adds the client to `headers` or `form`; true when it authenticated with its secret.
    @discardableResult
    static func apply(
        clientID: String?,
        secret: Secret?,
        to endpoint: ProviderEndpoint,
        headers: inout [HTTPHeader],
        form: inout [(String, String)]
    ) -> Bool {
        guard let clientID else { return false }
        guard let secret else {
            form.append(("client_id", clientID))
            return false
        }
        // §2.3.1: both parts form-encoded before they are joined.
        let pair = URLEncoding.encodeComponent(clientID) + ":" + URLEncoding.encodeComponent(secret.reveal())
        headers.append(HTTPHeader(name: "Authorization", value: "Basic " + Base64.encode(Array(pair.utf8))))
        return true
    }
}
