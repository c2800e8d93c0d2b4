import EthereumCore
import Foundation
import Hummingbird
import ServiceLifecycle
import Store

extension DiscoveryAPI {
    /// `GET /v1/changes?since=SEQ&limit=N`: the changes after `since`, oldest first:
    /// `{"changes":[…],"next":SEQ,"lastSeq":SEQ}`. Pass `next` as the following `since`; a page
    /// shorter than `limit` means the client has caught up to `lastSeq`.
    func changes(_ request: Request) throws -> Response {
        let parameters = try QueryParameters(request, allowed: ["since", "limit"])
        let since = Int64(try parameters.block("since") ?? 0)
        let limit = try parameters.integer("limit", in: 1...1_000) ?? 100
        let page = try store.changes(since: since, limit: limit)
        let last = try store.feedPosition().lastSeq
        return JSONText.response(JSONValue.object([
            ("changes", .array(page.map(\.json))),
            ("next", .number(String(page.last?.seq ?? since))),
            ("lastSeq", .number(String(max(last, page.last?.seq ?? 0)))),
        ]).serialized())
    }

    /// `GET /v1/changes/stream[?since=SEQ][&heartbeat=SECONDS]`: the same changes as Server-Sent
    /// Events (`id` is the seq, `event: change`, `data` the change's JSON), live: new changes
    /// follow as they commit. `Last-Event-ID` (sent by a reconnecting EventSource) resumes after
    /// that seq and wins over `since`. A comment line every `heartbeat` seconds (default 15)
    /// keeps proxies from closing an idle stream (and finds out, at the latest then, that a client
    /// has gone). A graceful shutdown ends every stream.
    func changeStream(_ request: Request) throws -> Response {
        let parameters = try QueryParameters(request, allowed: ["since", "heartbeat"])
        var since = Int64(try parameters.block("since") ?? 0)
        if let resume = request.headers[.init("Last-Event-ID")!] {
            guard let seq = Int64(resume), seq >= 0 else {
                throw APIError(.badRequest, code: "invalid_parameter", "Last-Event-ID must be a change seq")
            }
            since = seq
        }
        let heartbeat = Double(try parameters.integer("heartbeat", in: 1...300) ?? 15)
        let store = self.store
        let start = since
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            var lastWrite = Date()
            var after = start
            // Ends when the client goes (a write fails) or the server shuts down gracefully.
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let page = try store.changes(since: after, limit: 500)
                if !page.isEmpty {
                    var text = ""
                    for change in page { text += "id: \(change.seq)\nevent: change\ndata: \(change.json.serialized())\n\n" }
                    try await writer.write(ByteBuffer(string: text))
                    after = page.last!.seq
                    lastWrite = Date()
                    if page.count == 500 { continue }
                } else if Date().timeIntervalSince(lastWrite) >= heartbeat {
                    try await writer.write(ByteBuffer(string: ": heartbeat \(after)\n\n"))
                    lastWrite = Date()
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }
}
