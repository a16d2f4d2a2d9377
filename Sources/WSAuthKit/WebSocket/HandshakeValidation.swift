extension HandshakeRequest {
    /// Checks the server's answer by the client's rules of RFC 6455 §4.1 (items 1–6 after
    /// "the client MUST validate the server's response"), in that order.
    public func validate(_ head: HTTPResponseHead) throws(HandshakeError) -> NegotiatedHandshake {
        // 1. Anything but 101 means no WebSocket: authentication, redirect, error.
        guard head.status == 101 else { throw .notSwitchingProtocols(status: head.status) }

        // 2. Upgrade must hold the token "websocket", case-insensitively.
        let upgrade = joined(head.values("Upgrade"))
        guard containsToken("websocket", in: upgrade) else { throw .missingUpgradeHeader(found: upgrade) }

        // 3. Connection must hold the token "Upgrade", case-insensitively.
        let connection = joined(head.values("Connection"))
        guard containsToken("upgrade", in: connection) else {
            throw .missingConnectionUpgrade(found: connection)
        }

        // 4. Sec-WebSocket-Accept must be exactly base64(SHA-1(key + GUID)).
        let expected = expectedAccept
        let accept = joined(head.values("Sec-WebSocket-Accept"))
        guard accept == expected else { throw .acceptMismatch(expected: expected, received: accept) }

        // 5. Every extension in use must have been offered; names compare, parameters
        //    are the extension's business: permessage-deflate's are checked here.
        let sent = headers
        let offeredElements = sentValues("Sec-WebSocket-Extensions", in: sent).flatMap(CommaList.split)
        let offeredExtensions = Set(offeredElements.map(Self.extensionName))
        let accepted = head.values("Sec-WebSocket-Extensions").flatMap(CommaList.split)
        if let unrequested = accepted.first(where: { !offeredExtensions.contains(Self.extensionName($0)) }) {
            throw .unrequestedExtension(unrequested)
        }
        let deflate = try Self.deflateParameters(accepted: accepted, offered: offeredElements)

        // 6. At most one subprotocol, and one that was offered, compared exactly.
        let offeredProtocols = Set(sentValues("Sec-WebSocket-Protocol", in: sent).flatMap(CommaList.split))
        var subprotocol: String?
        if let selected = joined(head.values("Sec-WebSocket-Protocol")) {
            let selections = CommaList.split(selected)
            guard selections.count == 1, let only = selections.first, offeredProtocols.contains(only) else {
                throw .unrequestedSubprotocol(selected)
            }
            subprotocol = only
        }
        return NegotiatedHandshake(subprotocol: subprotocol, extensions: accepted, deflate: deflate)
    }

    /// permessage-deflate as the server accepted it, or nil when it did not; an answer
    /// the client cannot use fails the handshake (RFC 7692 §7.1).
    private static func deflateParameters(
        accepted: [String],
        offered: [String]
    ) throws(HandshakeError)
        -> DeflateParameters?
    {
        let name = DeflateParameters.extensionName
        let acceptances = accepted.filter { extensionName($0) == name }
        guard let element = acceptances.first else { return nil }
        guard acceptances.count == 1 else {
            throw .invalidDeflateResponse(acceptances.joined(separator: ", "), .acceptedTwice)
        }
        guard let response = ExtensionElement(parsing: element) else {
            throw .invalidDeflateResponse(element, .malformed)
        }
        let offers = offered.compactMap(ExtensionElement.init(parsing:)).filter { $0.name == name }
        do {
            return try DeflateParameters(accepting: response, offers: offers)
        } catch {
            throw .invalidDeflateResponse(element, error)
        }
    }

    /// Repeated fields combine into one comma-separated value (RFC 9110 §5.3); nil when absent.
    private func joined(_ values: [String]) -> String? {
        values.isEmpty ? nil : values.joined(separator: ", ")
    }

    private func containsToken(_ token: String, in value: String?) -> Bool {
        guard let value else { return false }
        return CommaList.split(value).contains { $0.lowercased() == token }
    }

    private static func extensionName(_ element: String) -> String {
        CommaList.trimmingWhitespace(element.prefix { $0 != ";" })
    }
}
