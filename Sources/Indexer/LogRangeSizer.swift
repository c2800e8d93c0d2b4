import ChainRPC

/// How many blocks the next `eth_getLogs` range spans, learned from one endpoint's answers.
///
/// Starts at the configured range. A range the provider refuses (too many results, too wide,
/// response too large) shrinks to the range the provider suggests, to the block count its
/// message states, or else to half; that size becomes the **cap** for the rest of the run, so
/// the same refusal is not provoked again. A range that times out is halved once without
/// lowering the cap (time-outs are often transient). Each success doubles the size, up to the cap.
///
/// ```swift
/// var sizer = LogRangeSizer(maximum: 2_000)
/// sizer.refused(RangeLimit(suggested: 100...149), span: 2_000)   // size 50, cap 50
/// sizer.succeeded()                                              // stays at 50
/// ```
public struct LogRangeSizer: Sendable, Hashable {
    /// The configured maximum.
    public let maximum: UInt64
    /// The span of the next range.
    public private(set) var size: UInt64
    /// The largest span known to be answered, once a refusal taught it.
    public private(set) var cap: UInt64?

    public init(maximum: UInt64) {
        self.maximum = max(1, maximum)
        size = self.maximum
    }

    /// The range of `span` blocks succeeded: grow.
    public mutating func succeeded() {
        size = min(min(cap ?? maximum, maximum), size * 2)
    }

    /// A range of `span` blocks was refused for its size.
    public mutating func refused(_ limit: RangeLimit, span: UInt64) {
        var next: UInt64
        if let suggested = limit.suggested {
            next = suggested.upperBound - suggested.lowerBound + 1
        } else if let blocks = limit.maxBlocks, blocks < span {
            next = blocks
        } else {
            next = span / 2
        }
        next = max(1, min(next, span > 1 ? span - 1 : 1))
        cap = min(cap ?? next, next)
        size = next
    }

    /// A range of `span` blocks timed out (after the client's retries): try half, keep the cap.
    public mutating func timedOut(span: UInt64) {
        size = max(1, span / 2)
    }
}
