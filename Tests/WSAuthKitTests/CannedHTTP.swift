import Synchronization

@testable import WSAuthKit

/// An `HTTPExecutor` that answers from a script instead of a network: each
/// request takes the next answer (a response, or a failure such as a refused
/// connection), and the requests are kept for the test to read.
final class CannedHTTP: HTTPExecutor {
    enum Answer {
        case response(HTTPResponse)
        case failure(Failure)
    }

    private let state: Mutex<(answers: [Answer], requests: [HTTPRequest])>

    init(_ answers: [Answer]) {
        state = Mutex((answers, []))
    }

    var requests: [HTTPRequest] { state.withLock { $0.requests } }

    func exchange(
        _ request: HTTPRequest,
        cookies: [NetscapeCookie],
        emit: (Event) -> Void
    ) throws(Failure) -> HTTPResponse {
        let answer = state.withLock { state -> Answer? in
            state.requests.append(request)
            return state.answers.isEmpty ? nil : state.answers.removeFirst()
        }
        switch answer {
        case .response(let response)?: return response
        case .failure(let failure)?: throw failure
        case nil: throw Failure(.internal, "CannedHTTP: no answer left for \(request.method) \(request.url)")
        }
    }
}

extension HTTPResponse {
    /// A canned answer: a JSON body by default, with its headers.
    static func canned(
        _ status: Int,
        _ body: String,
        headers: [HTTPHeader] = [],
        cookieLines: [String] = []
    ) -> HTTPResponse {
        HTTPResponse(
            status: status,
            statusLine: "HTTP/1.1 \(status)",
            headers: headers,
            body: Array(body.utf8),
            cookieLines: cookieLines
        )
    }
}

extension CannedHTTP.Answer {
    static func json(_ status: Int, _ body: String) -> CannedHTTP.Answer { .response(.canned(status, body)) }
}
