import Hummingbird
import Store

/// `ETag` and `Cache-Control` on the `/v1/` GETs, and `304 Not Modified` for an `If-None-Match`
/// that names the current state.
///
/// The tag is the state the index is in: the database's id and the change feed's last seq
/// (``AgentStore/answerStamp()``, cached between commits). Every commit that changes any answer appends to the feed, so
/// an unchanged tag means an unchanged answer for the same URL. The tag is read before the answer
/// is made: a commit in between can only make a tag older than its body (a needless 200 later),
/// never newer (a wrong 304).
struct ETagMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: AgentStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head, request.uri.path.hasPrefix("/v1/"),
              !request.uri.path.hasSuffix("/stream") else { return try await next(request, context) }
        let stamp = try store.answerStamp()
        let tag = "\"\(stamp.databaseID).\(stamp.lastSeq)\""
        if let asked = request.headers[.ifNoneMatch], Self.matches(asked, tag) {
            return Response(status: .notModified, headers: [.eTag: tag, .cacheControl: Self.cacheControl])
        }
        var response = try await RequestStamp.$current.withValue(stamp) { try await next(request, context) }
        if response.status == .ok {
            response.headers[.eTag] = tag
            response.headers[.cacheControl] = Self.cacheControl
        }
        return response
    }

    /// Cache, but ask again each time: the index moves with every block.
    static var cacheControl: String { "public, max-age=0, must-revalidate" }

    /// Whether an `If-None-Match` list names `tag` (weak comparison, `*` matches any).
    static func matches(_ header: String, _ tag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || trimmed == tag || trimmed == "W/" + tag
        }
    }
}
