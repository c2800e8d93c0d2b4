import Hummingbird
import HummingbirdCore

/// The query parameters of a route: unknown or repeated names, and values over 512 bytes, are 400s.
struct QueryParameters {
    var values: [String: String] = [:]

    /// No parameters (filled by name by the other front doors).
    init() {}

    init(_ request: Request, allowed: Set<String>) throws(APIError) {
        try self.init(request.uri, allowed: allowed)
    }

    init(_ uri: URI, allowed: Set<String>) throws(APIError) {
        for (key, value) in uri.queryParameters {
            let name = String(key)
            guard allowed.contains(name) else {
                throw APIError(.badRequest, code: "unknown_parameter", "unknown query parameter '\(name)'")
            }
            guard values[name] == nil else {
                throw APIError(.badRequest, code: "invalid_parameter", "'\(name)' is given more than once")
            }
            guard value.utf8.count <= 512 else {
                throw APIError(.badRequest, code: "invalid_parameter", "'\(name)' is longer than 512 bytes")
            }
            values[name] = String(value)
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// A block number (or chain id): a non-negative decimal integer.
    func block(_ name: String) throws(APIError) -> UInt64? {
        guard let text = values[name] else { return nil }
        guard let value = UInt64(text), value <= UInt64(Int64.max) else {
            throw APIError(.badRequest, code: "invalid_parameter", "\(name) must be a non-negative integer")
        }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError(.badRequest, code: "invalid_parameter", "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
