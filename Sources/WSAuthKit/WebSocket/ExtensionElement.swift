/// One element of a Sec-WebSocket-Extensions list, e.g.
/// `permessage-deflate; server_max_window_bits=10`, in the grammar of RFC 6455 §9.1:
///
///     extension       = extension-token *( ";" extension-param )
///     extension-param = token [ "=" (token | quoted-string) ]
///
/// A quoted value is unescaped, and must then be a token too (RFC 6455 §9.1).
struct ExtensionElement: Equatable, Sendable {
    struct Parameter: Equatable, Sendable {
        var name: String
        /// Nil when the parameter came without "=".
        var value: String?
    }

    var name: String
    var parameters: [Parameter]

    init(name: String, parameters: [Parameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// Nil when `text` does not follow the grammar.
    init?(parsing text: String) {
        var parts = CommaList.splitOutsideQuotes(text, on: ";").map(CommaList.trimmingWhitespace)
        let name = parts.removeFirst()
        guard HTTPToken.isToken(name) else { return nil }
        var parameters: [Parameter] = []
        for part in parts {
            guard let parameter = Self.parameter(part) else { return nil }
            parameters.append(parameter)
        }
        self.init(name: name, parameters: parameters)
    }

    private static func parameter(_ text: String) -> Parameter? {
        guard let equals = text.firstIndex(of: "=") else {
            return HTTPToken.isToken(text) ? Parameter(name: text, value: nil) : nil
        }
        // Whitespace around "=" is tolerated, as HTTP's BWS (RFC 9110 §5.6.3).
        let name = CommaList.trimmingWhitespace(text[..<equals])
        let rawValue = CommaList.trimmingWhitespace(text[text.index(after: equals)...])
        guard HTTPToken.isToken(name), let value = unquoted(rawValue), HTTPToken.isToken(value) else { return nil }
        return Parameter(name: name, value: value)
    }

    /// A token as it is, or a quoted-string with its escapes undone (RFC 9110 §5.6.4).
    private static func unquoted(_ text: String) -> String? {
        guard text.first == "\"" else { return text }
        var value = ""
        var escaped = false
        var closed = false
        for character in text.dropFirst() {
            guard !closed else { return nil }
            if escaped {
                value.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                closed = true
            } else {
                value.append(character)
            }
        }
        return closed ? value : nil
    }
}
