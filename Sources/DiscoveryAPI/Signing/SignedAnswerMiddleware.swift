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
        // A /v1/ GET's answer is a function of the index's state (the stamp): the same request at
        // the same stamp has the same body, so its signature is made once and reused.
        let reusable = (request.method == .get || request.method == .head) && request.uri.path.hasPrefix("/v1/")
        var attempt = 0
        while true {
            attempt += 1
            let before = try attempt == 1 ? RequestStamp.current ?? store.answerStamp() : store.answerStamp()
            var response = try await next(request, context)
            guard response.status == .ok, response.headers[.contentType]?.hasPrefix("application/json") == true else { return response }
            let body = try await Self.collect(response.body)
            let after = try store.answerStamp()
            if before != after, attempt < 3 { continue }
            let block = after.heads.isEmpty ? "none" : after.heads.map(\.headerValue).joined(separator: ", ")
            let target = request.uri.description
            let sign = {
                try signer.sign(AnswerSigner.message(method: request.method.rawValue, target: target, block: block,
                                                     bodySHA256: AnswerSigner.sha256Hex(body.readableBytesView)))
            }
            let signature = reusable
                ? try signatures.signature(for: "\(request.method.rawValue) \(target)\n\(block)\n\(after.databaseID).\(after.lastSeq)", sign: sign)
                : try sign()
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

/// Signatures of `/v1/` answers by request and stamp, so a repeated answer between commits costs
/// neither a hash of its body nor an ECDSA signature. At most 4,096 kept; then it starts again empty.
final class SignatureCache: Sendable {
    private let signed = Mutex<[String: String]>([:])

    func signature(for key: String, sign: () throws -> String) throws -> String {
        if let known = signed.withLock({ $0[key] }) { return known }
        let signature = try sign()
        signed.withLock { signed in
            if signed.count >= 4_096 { signed.removeAll(keepingCapacity: true) }
            signed[key] = signature
        }
        return signature
    }
}

/// The stamp the ETag middleware read for this request, so the signing middleware inside it
/// does not read it again.
enum RequestStamp {
    @TaskLocal static var current: AnswerStamp?
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
