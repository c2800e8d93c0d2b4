import Hummingbird

/// Lets only the configured browser origins through to the CORS middleware: a request from any
/// other origin is answered without CORS headers, so the browser keeps the answer from its script.
struct OriginFilterMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowed: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], !allowed.contains(origin) else { return try await next(request, context) }
        var head = request.head
        head.headerFields[.origin] = nil
        return try await next(Request(head: head, body: request.body), context)
    }
}

/// Names the headers a browser script may read (`Access-Control-Expose-Headers`) on every answer
/// the CORS middleware let through, not only on preflights: the signature and block headers are
/// of no use to a script that cannot see them.
struct ExposedHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let headers: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.accessControlAllowOrigin] != nil, response.headers[.accessControlExposeHeaders] == nil {
            response.headers[.accessControlExposeHeaders] = headers
        }
        return response
    }
}
