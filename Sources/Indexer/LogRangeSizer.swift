import ChainRPC

/// How many blocks the next `eth_getLogs` range spans, learned from one endpoint's answers.
///
/// Starts at the configured range. A range the provider refuses shrinks to the range the
/// provider suggests, to the block count its message states, or else to half. A stated block
/// count (or a refusal that says nothing) becomes the **cap** for the rest of the run, so the same
/// refusal is not provoked again. A refusal for too many *results* teaches the **result limit**
/// instead: from then on a range that fit grows towards the span that fills about `fill` of
/// that limit at its density (never shrinking; a denser stretch is refused and takes the
/// provider's suggestion), so a backfill needs close to the fewest calls the limit allows. A range that times out is halved
/// once without lowering the cap (time-outs are often transient). Otherwise each success
/// doubles the size, up to the cap. Given a byte limit, a range whose answers carried more than
/// about `fill` of it shrinks to the span that carries that much at its density (the reader
/// holds an answer's logs until ranges take them: 10,000 whole cards are 55 MB).
///
/// ```swift
/// var sizer = LogRangeSizer(maximum: 2_000)
/// sizer.refused(RangeLimit(maxBlocks: 500), span: 2_000)         // size 500, cap 500
/// sizer.succeeded(largestAnswer: 10, span: 500)                  // stays at 500
/// ```
public struct LogRangeSizer: Sendable, Hashable {
    /// The configured maximum.
    public let maximum: UInt64
    /// The span of the next range.
    public private(set) var size: UInt64
    /// The largest span known to be answered, once a refusal taught it.
    public private(set) var cap: UInt64?
    /// The most logs the provider returns in one answer, once a refusal taught it.
    public private(set) var resultLimit: Int?
    /// The share of `resultLimit` a range aims at (headroom for denser blocks ahead).
    public static let fill = 0.9

    public init(maximum: UInt64) {
        self.maximum = max(1, maximum)
        size = self.maximum
    }

    /// A range of `span` blocks succeeded; its largest answer held `largestAnswer` logs, and its
    /// answers `bytes` bytes of logs in all (sized against `byteLimit`, when given).
    ///
    /// ```swift
    /// sizer.succeeded(largestAnswer: 9_000, span: 18_000, bytes: 50 << 20, byteLimit: 32 << 20)   // ≈ 10,400 blocks next
    /// ```
    public mutating func succeeded(largestAnswer: Int = 0, span: UInt64 = 0, bytes: Int = 0, byteLimit: Int? = nil) {
        let ceiling = min(cap ?? maximum, maximum)
        if let resultLimit, span > 0 {
            let target = Double(resultLimit) * Self.fill
            let scaled = Double(span) * target / Double(max(largestAnswer, 1))
            // A span that just fit is not shrunk (bursts would cost more ranges than refusals do);
            // a sparse one grows towards the density that fills the limit, at most 4× at a time.
            size = max(1, min(ceiling, max(span, UInt64(min(scaled, Double(span) * 4)))))
        } else {
            size = min(ceiling, size * 2)
        }
        if let byteLimit, bytes > 0, span > 0 {
            let fitting = Double(span) * Double(byteLimit) * Self.fill / Double(bytes)
            size = max(1, min(size, UInt64(min(fitting, Double(UInt64.max / 2)))))
        }
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
        if let results = limit.maxResults, limit.maxBlocks == nil {
            resultLimit = min(resultLimit ?? results, results)
        } else {
            cap = min(cap ?? next, next)
        }
        size = next
    }

    /// A range of `span` blocks timed out (after the client's retries): try half, keep the cap.
    public mutating func timedOut(span: UInt64) {
        size = max(1, span / 2)
    }
}
