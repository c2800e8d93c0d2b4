import ChainRPC

/// How many blocks the next `eth_getLogs` range spans, learned from one endpoint's answers.
///
/// Starts at the configured range. A range the provider refuses shrinks to the range the
/// provider suggests, to the block count its message states, or else to half. A stated block
/// count (or a refusal that says nothing) becomes the **cap** for the rest of the run, so the same
/// refusal is not provoked again. A refusal for too many *results* teaches the **result limit**
/// instead: from then on each answered range sizes the next to the span that fills ``fill`` of
/// that limit at the density just seen (growing at most 4× at a time). The fill follows how
/// much the density moves from one range to the next (``densitySpread``): a steady stream is read
/// in ranges that nearly fill the limit, a bursty one keeps headroom, so a backfill needs close to
/// the fewest calls the limit allows without provoking a refusal per range. A range that times
/// out is halved once without lowering the cap (time-outs are often transient). Otherwise each
/// success doubles the size, up to the cap.
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
    /// How much a range's density (logs a block) rises over the one before, relative to it (twice
    /// the rise, so that for noise it is the mean change): a moving average over the ranges whose
    /// answer held at least a quarter of the result limit (1/30 until two are seen).
    public private(set) var densitySpread = 1.0 / 30
    /// The density of the last range whose answer held at least a quarter of the result limit.
    private var lastDensity: Double?

    /// The share of `resultLimit` a range aims at: headroom of three times the density spread
    /// (0.9 until the spread is measured), between 0.5 and 0.98.
    public var fill: Double { min(0.98, max(0.5, 1 - 3 * densitySpread)) }

    public init(maximum: UInt64) {
        self.maximum = max(1, maximum)
        size = self.maximum
    }

    /// A range of `span` blocks succeeded; its largest answer held `largestAnswer` logs.
    public mutating func succeeded(largestAnswer: Int = 0, span: UInt64 = 0) {
        let ceiling = min(cap ?? maximum, maximum)
        guard let resultLimit, span > 0 else {
            size = min(ceiling, size * 2)
            return
        }
        let density = Double(largestAnswer) / Double(span)
        // Only ranges near the limit risk a refusal, and only their counts are large enough for
        // the change to be the stream's rather than chance's. Only a rise risks a refusal: a
        // stream that settles at a lower density (after a burst of deployments) keeps its fill.
        // Twice the rise is, for noise that rises as often as it falls, the mean change. A jump
        // past the headroom is refused, and the refusal starts the comparison afresh
        // (``refused(_:span:)``): a new, denser stretch of the chain does not keep the ranges
        // after it small.
        if largestAnswer >= resultLimit / 4 {
            if let lastDensity {
                let rise = max(0, density - lastDensity) / lastDensity
                observe(rise: rise)
            }
            lastDensity = density
        }
        let scaled = Double(resultLimit) * fill / max(density, 1 / Double(span))
        size = max(1, min(ceiling, UInt64(min(scaled, Double(span) * 4))))
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
            // A range sized by density was refused: its density rose by more than the headroom.
            if resultLimit != nil, lastDensity != nil { observe(rise: 1 / fill - 1) }
            resultLimit = min(resultLimit ?? results, results)
            lastDensity = nil   // the range that fits is the provider's: densities are compared from there
        } else {
            cap = min(cap ?? next, next)
        }
        size = next
    }

    /// Adds one range's relative rise in density to ``densitySpread`` (a moving average over
    /// about the last eight ranges: a few calm ranges do not wipe out what a burst taught).
    private mutating func observe(rise: Double) {
        densitySpread = 0.875 * densitySpread + 0.125 * min(1, 2 * rise)
    }

    /// A range of `span` blocks timed out (after the client's retries): try half, keep the cap.
    public mutating func timedOut(span: UInt64) {
        size = max(1, span / 2)
    }
}
