import HTTPTypes
import Hummingbird
import HummingbirdCore
import Store
import Synchronization

/// Adds `AgentIndex-Block` and `AgentIndex-Signature` to every 200 JSON answer.
///
/// `AgentIndex-Block` is the indexed head the answer reflects, `<chainId>:<number>:<hash>` (one
/// per chain, by chain id, joined with `, `). The heads are read before and after the answer is
/// made; when a commit moved them in between, the answer is made again (up to three times), so
/// the header never names a block the body does not reflect.
struct SignedAnswerMiddleware<Context: RequestContext>: RouterMiddleware {
    let signer: AnswerSigner
    let store: AgentStore
    /// The same answer to the same request at the same block is signed once.
    let signatures = SignatureCache()

    static var blockHeader: HTTPField.Name { HTTPField.Name("AgentIndex-Block")! }
    static var signatureHeader: HTTPField.Name { HTTPField.Name("AgentIndex-Signature")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var attempt = 0
        while true {
            attempt += 1
            let before = try store.answerStamp().heads
            var response = try await next(request, context)
            guard response.status == .ok, response.headers[.contentType]?.hasPrefix("application/json") == true else { return response }
            let body = try await Self.collect(response.body)
            let after = try store.answerStamp().heads
            if before != after, attempt < 3 { continue }
            let block = after.isEmpty ? "none" : after.map(\.headerValue).joined(separator: ", ")
            let message = AnswerSigner.message(method: request.method.rawValue, target: request.uri.description, block: block,
                                               bodySHA256: AnswerSigner.sha256Hex(body.readableBytesView))
            let signature = try signatures.signature(for: message) { try signer.sign(message) }
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

/// Signatures by the text they sign (the request, the block and the body's hash), so repeated
/// answers between commits cost a hash, not an ECDSA signature. At most 4,096 kept; then it
/// starts again empty.
final class SignatureCache: Sendable {
    private let signed = Mutex<[String: String]>([:])

    func signature(for message: String, sign: () throws -> String) throws -> String {
        if let known = signed.withLock({ $0[message] }) { return known }
        let signature = try sign()
        signed.withLock { signed in
            if signed.count >= 4_096 { signed.removeAll(keepingCapacity: true) }
            signed[message] = signature
        }
        return signature
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
