/// The position after the last row of a search page, written `<a>.<b>` (two non-negative
/// integers), stable under inserts. What the numbers mean follows from the query, so any pair a
/// client writes is a valid cursor:
///
/// - Without a sort (discovery order), pages follow the agent id (keyset): `<last id>.0`. Exact
///   under any insert.
/// - With a sort (`q`, `sort=score|recent`), pages follow the rank order among the agents that
///   existed when the first page was served, by offset: `<offset>.<asOf>`, `asOf` the last agent
///   id then. Keyset on the bm25 score would break: adding any document changes every score (IDF,
///   average length), so a stored score no longer marks a position.
///
/// ```swift
/// PageCursor.afterID(41).encoded                        // "41.0"
/// PageCursor(decoding: "20.5000", ranked: true)         // .ranked(offset: 20, asOf: 5000)
/// ```
enum PageCursor: Hashable {
    case afterID(Int64)
    case ranked(offset: Int, asOf: Int64)

    var encoded: String {
        switch self {
        case .afterID(let id): "\(id).0"
        case .ranked(let offset, let asOf): "\(offset).\(asOf)"
        }
    }

    /// Reads `text` as a cursor of a ranked (sorted) or a discovery-order query; nil when it is
    /// not `<a>.<b>`.
    init?(decoding text: String, ranked: Bool) {
        guard let (first, second) = PositionCursor.integerPair(text) else { return nil }
        self = ranked ? .ranked(offset: Int(first), asOf: second) : .afterID(first)
    }
}
