import HTTPTypes
import Hummingbird

/// The few HTML pages of the server (consent, device approval): text escaped,
/// never framed (RFC 6749 §10.13, clickjacking), never cached.
enum HTMLPage {
    static func make(title: String, body: String, status: HTTPResponse.Status = .ok) -> Response {
        let html = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>body{font-family:sans-serif;max-width:32em;margin:3em auto}label{display:block;margin:.5em 0}</style>
            </head><body><h1>\(escape(title))</h1>
            \(body)
            </body></html>
            """
        let headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            .contentSecurityPolicy: "frame-ancestors 'none'",
        ]
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page that only says something (an error, a decision taken).
    static func message(_ title: String, _ text: String, status: HTTPResponse.Status = .ok) -> Response {
        make(title: title, body: "<p>\(escape(text))</p>", status: status)
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    static func hidden(_ name: String, _ value: String?) -> String {
        guard let value else { return "" }
        return #"<input type="hidden" name="\#(escape(name))" value="\#(escape(value))">"#
    }

    /// The user's login fields.
    static let loginFields = """
        <label>User <input name="username" autocomplete="username" required></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
        """

    /// The user's login fields and the two buttons every consent form has.
    static let credentialFields =
        loginFields + """

            <button name="decision" value="approve">Allow</button> <button name="decision" value="deny">Deny</button>
            """
}
