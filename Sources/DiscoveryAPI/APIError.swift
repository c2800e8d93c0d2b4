import Hummingbird

/// An error the API answers with `{"error":{"code":"…","message":"…"}}` and a 4xx/5xx status.
///
/// ```swift
/// throw APIError(.badRequest, code: "invalid_parameter", "limit must be an integer from 1 to 100")
/// ```
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Extra headers of the answer (`Allow` on a 405, `Retry-After` on a 429).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, allow: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        if let allow { headers[.allow] = allow }
    }

    public var body: String {
        JSONText.object([("error", JSONText.object([("code", JSONText.string(code)), ("message", JSONText.string(message))]))])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONText.response(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// Turns every error into the JSON error shape: unknown routes (404), wrong methods (405) and
/// anything unexpected (500, with the detail logged, not sent).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            let code = switch error.status {
            case .notFound: "not_found"
            case .methodNotAllowed: "method_not_allowed"
            default: "http_\(error.status.code)"
            }
            throw APIError(error.status, code: code, error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw APIError(.internalServerError, code: "internal", "the server could not answer this request")
        }
    }
}
