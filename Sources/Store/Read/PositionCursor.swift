/// The chain position after the last row of a page of an agent's history (payments, feedback,
/// validations), newest first, written `<block>.<logIndex>`: a plain position, so any position a
/// client writes is a valid cursor (the page after it), and stable under inserts (new rows come
/// at the head, before any cursor).
///
/// ```swift
/// let next = PositionCursor(block: 41, logIndex: 2).encoded   // "41.2"
/// PositionCursor(decoding: "41.2")                            // (41, 2)
/// ```
struct PositionCursor: Hashable {
    var block: Int64
    var logIndex: Int64

    init(block: Int64, logIndex: Int64) {
        self.block = block
        self.logIndex = logIndex
    }

    /// Parses `<block>.<logIndex>` (non-negative decimal integers of at most 18 digits); nil for anything else.
    init?(decoding text: String) {
        guard let (block, logIndex) = Self.integerPair(text) else { return nil }
        self.init(block: block, logIndex: logIndex)
    }

    var encoded: String { "\(block).\(logIndex)" }

    /// The position as one integer, `block × 2³² + logIndex`, saturating: a position past what
    /// fits (a block ≥ 2³¹, a log index ≥ 2³²) is past every stored row, never an overflow.
    var packed: Int64 {
        let (high, overflow) = block.multipliedReportingOverflow(by: 4_294_967_296)
        guard !overflow else { return Int64.max }
        let (sum, carry) = high.addingReportingOverflow(min(logIndex, 4_294_967_295))
        return carry ? Int64.max : sum
    }

    /// The cursor a client passed back: nil for none.
    /// - Throws: ``AgentStore/StoreError/invalidCursor`` for text that is not a position.
    static func parse(_ text: String?) throws -> PositionCursor? {
        guard let text else { return nil }
        guard let cursor = PositionCursor(decoding: text) else { throw AgentStore.StoreError.invalidCursor }
        return cursor
    }

    /// `<a>.<b>`: two non-negative decimal integers of 1 to 18 digits (the cursors' pattern in openapi.yaml).
    static func integerPair(_ text: String) -> (Int64, Int64)? {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...18).contains($0.count) && $0.allSatisfy { (48...57).contains($0) } }),
              let first = Int64(String(decoding: parts[0], as: UTF8.self)), let second = Int64(String(decoding: parts[1], as: UTF8.self)) else {
            return nil
        }
        return (first, second)
    }
}
