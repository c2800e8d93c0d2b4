import EthereumCore
import Hummingbird

/// Small helpers to write JSON responses as text. Stored summaries are already JSON, so the API
/// assembles responses from text instead of re-encoding objects.
enum JSONText {
    static func string(_ value: String) -> String { JSONValue.string(value).serialized() }

    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    static func response(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        response(ByteBuffer(string: body), status: status)
    }

    static func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: body))
    }
}
