import HTTPTypes
import Hummingbird

/// Logs each HTTP request (not the upgrades: the handshake logs those) with its status.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let log: ServerLog

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let line = "\(request.method) \(ServerLog.redactedTarget(of: request))"
        let credentials = ServerLog.credentialSummary(of: request.headers)
        let suffix = credentials.isEmpty ? "" : " [\(credentials)]"
        do {
            let response = try await next(request, context)
            log("\(line) → \(response.status.code)\(suffix)")
            return response
        } catch let error as AuthError {
            log("\(line) → \(error.status.code) \(error.code): \(error.description)\(suffix)")
            throw error
        } catch let error as HTTPResponseError {
            log("\(line) → \(error.status.code)\(suffix)")
            throw error
        } catch {
            log("\(line) → 500 \(error)\(suffix)")
            throw error
        }
    }
}
