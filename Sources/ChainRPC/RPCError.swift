/// Why a JSON-RPC call failed, classified so callers can decide whether to retry.
public enum RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The server answered with a non-2xx HTTP status.
    case http(status: Int, body: String)
    /// The node answered with a JSON-RPC error object.
    case rpc(code: Int, message: String, data: String?)
    /// No complete answer within the time limit.
    case timeout
    /// The connection failed (refused, reset, DNS) — libcurl's reason.
    case transport(String)
    /// The answer is not the JSON-RPC shape expected.
    case malformed(String)

    public var description: String {
        switch self {
        case let .http(status, body): return "HTTP \(status): \(body.prefix(200))"
        case let .rpc(code, message, _): return "JSON-RPC error \(code): \(message)"
        case .timeout: return "timed out"
        case let .transport(reason): return "transport error: \(reason)"
        case let .malformed(reason): return "malformed response: \(reason)"
        }
    }
}
