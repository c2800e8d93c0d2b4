import Foundation

/// The position after the last row of a page: opaque to clients (base64url), stable under
/// inserts.
///
/// - Without text, pages follow the agent id (keyset): exact under any insert.
/// - With text, pages follow the rank order among the agents that existed when the first page
///   was served (`asOf`), by offset. Keyset on the bm25 score would break: adding any document
///   changes every score (IDF, average length), so a stored score no longer marks a position.
enum PageCursor: Hashable {
    case afterID(Int64)
    case ranked(offset: Int, asOf: Int64)

    var encoded: String {
        let plain = switch self {
        case .afterID(let id): "v1:i:\(id)"
        case .ranked(let offset, let asOf): "v1:t:\(offset):\(asOf)"
        }
        return Base64URL.encode(plain)
    }

    init?(decoding text: String) {
        guard let plain = Base64URL.decode(text) else { return nil }
        let parts = plain.split(separator: ":", omittingEmptySubsequences: false)
        switch (parts.count, parts.first, parts.dropFirst().first) {
        case (3, "v1", "i"):
            guard let id = Int64(parts[2]) else { return nil }
            self = .afterID(id)
        case (4, "v1", "t"):
            guard let offset = Int(parts[2]), offset >= 0, let asOf = Int64(parts[3]) else { return nil }
            self = .ranked(offset: offset, asOf: asOf)
        default:
            return nil
        }
    }
}
