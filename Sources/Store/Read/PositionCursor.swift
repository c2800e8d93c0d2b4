/// The chain position after the last row of a page of an agent's history (payments, feedback,
/// validations), newest first: opaque to clients (base64url), tagged with the list it belongs
/// to, stable under inserts (new rows come at the head, before any cursor).
///
/// ```swift
/// let next = PositionCursor(list: .payments, block: 41, logIndex: 2).encoded
/// PositionCursor(decoding: next, list: .payments)    // (41, 2); nil for another list's cursor
/// ```
struct PositionCursor: Hashable {
    /// Which history the cursor pages.
    enum List: String {
        case payments = "p"
        case feedback = "f"
        case validations = "v"
    }

    var list: List
    var block: Int64
    var logIndex: Int64

    init(list: List, block: Int64, logIndex: Int64) {
        self.list = list
        self.block = block
        self.logIndex = logIndex
    }

    /// Parses a cursor this store issued for `list`; nil for anything else.
    init?(decoding text: String, list: List) {
        guard let plain = Base64URL.decode(text) else { return nil }
        let parts = plain.split(separator: ":")
        guard parts.count == 4, parts[0] == "v1", parts[1] == list.rawValue, let block = Int64(parts[2]),
              let log = Int64(parts[3]), block >= 0, log >= 0 else { return nil }
        self.init(list: list, block: block, logIndex: log)
    }

    var encoded: String { Base64URL.encode("v1:\(list.rawValue):\(block):\(logIndex)") }

    /// The cursor a client passed back for `list`: nil for none.
    /// - Throws: ``AgentStore/StoreError/invalidCursor`` for one this store did not issue for `list`.
    static func parse(_ text: String?, list: List) throws -> PositionCursor? {
        guard let text else { return nil }
        guard let cursor = PositionCursor(decoding: text, list: list) else { throw AgentStore.StoreError.invalidCursor }
        return cursor
    }
}
