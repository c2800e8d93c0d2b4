import HTTPTypes
import Hummingbird
import HummingbirdCore
import Store

/// Adds `AgentIndex-Block` and `AgentIndex-Signature` to every 200 JSON answer.
///
/// `AgentIndex-Block` is the indexed head the answer reflects, `<chainId>:<number>:<hash>` (one
/// per chain, by chain id, joined with `, `). The heads are read before and after the answer is
/// made; when a commit moved them in between, the answer is made again (up to three times), so
/// the header never names a block the body does not reflect.
struct SignedAnswerMiddleware<Context: RequestContext>: RouterMiddleware {
    let signer: AnswerSigner
    let store: AgentStore

    static var blockHeader: HTTPField.Name { HTTPField.Name("AgentIndex-Block")! }
    static var signatureHeader: HTTPField.Name { HTTPField.Name("AgentIndex-Signature")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var attempt = 0
        while true {
            attempt += 1
            let before = try store.indexedHeads()
            var response = try await next(request, context)
            guard response.status == .ok, response.headers[.contentType]?.hasPrefix("application/json") == true else { return response }
            let body = try await Self.collect(response.body)
            let after = try store.indexedHeads()
            if before != after, attempt < 3 { continue }
            let block = after.isEmpty ? "none" : after.map(\.headerValue).joined(separator: ", ")
            let signature = try signer.signature(method: request.method.rawValue, target: request.uri.description,
                                                 block: block, body: body.readableBytesView)
            response.headers[Self.blockHeader] = block
            response.headers[Self.signatureHeader] = signature
            response.body = ResponseBody(byteBuffer: body)
            return response
        }
    }

    /// The whole body of a (buffered) JSON answer.
    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let sink = BodySink()
        try await body.write(CollectingWriter(sink: sink))
        return sink.buffer
    }
}

/// Where ``CollectingWriter`` puts the bytes.
final class BodySink: @unchecked Sendable {
    var buffer = ByteBuffer()
}

/// A body writer that keeps what it is given.
struct CollectingWriter: ResponseBodyWriter {
    let sink: BodySink

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        sink.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
