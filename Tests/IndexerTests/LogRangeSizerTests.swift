import ChainRPC
import Indexer
import Testing

/// The eth_getLogs range learned from a provider's refusals.
@Suite("Log range sizing")
struct LogRangeSizerTests {
    @Test("a suggested range becomes the size and the cap; successes do not grow past it")
    func suggestion() {
        var sizer = LogRangeSizer(maximum: 2_000)
        sizer.refused(RangeLimit(suggested: 100...149), span: 2_000)
        #expect(sizer.size == 50 && sizer.cap == 50)
        for _ in 0..<5 { sizer.succeeded() }
        #expect(sizer.size == 50)
    }

    @Test("a stated block limit is used; without one the range halves; a smaller refusal lowers the cap")
    func limits() {
        var sizer = LogRangeSizer(maximum: 10_000)
        sizer.refused(RangeLimit(maxBlocks: 2_000), span: 10_000)
        #expect(sizer.size == 2_000 && sizer.cap == 2_000)
        sizer.refused(RangeLimit(), span: 2_000)
        #expect(sizer.size == 1_000 && sizer.cap == 1_000)
        sizer.refused(RangeLimit(maxBlocks: 50_000), span: 1_000)
        #expect(sizer.size == 500, "a stated limit above the refused span says nothing: halve")
    }

    @Test("a time-out halves the next range but keeps the cap; successes grow it back")
    func timeouts() {
        var sizer = LogRangeSizer(maximum: 1_000)
        sizer.timedOut(span: 1_000)
        #expect(sizer.size == 500 && sizer.cap == nil)
        sizer.succeeded()
        #expect(sizer.size == 1_000)
        sizer.refused(RangeLimit(), span: 1)
        #expect(sizer.size == 1)
    }

    @Test("under a result limit each range is sized by the last one's density (growing at most 4×), within the maximum")
    func density() {
        var sizer = LogRangeSizer(maximum: 1_000_000)
        sizer.refused(RangeLimit(message: "query returned more than 10000 results. Try with this block range [0x0, 0x3e7]."),
                      span: 1_000_000)
        #expect(sizer.size == 1_000 && sizer.cap == nil && sizer.resultLimit == 10_000)
        sizer.succeeded(largestAnswer: 4_500, span: 1_000)   // 4.5 logs a block: aim at 9,000 logs
        #expect(sizer.size == 2_000 && sizer.fill == 0.9)
        sizer.succeeded(largestAnswer: 9_900, span: 2_000)   // denser by 10 %: less headroom is safe no longer
        #expect(sizer.fill < 0.9 && sizer.size == UInt64(10_000 * sizer.fill / 4.95), "a range that fit but was denser shrinks")
        sizer.succeeded(largestAnswer: 0, span: 2_000)       // empty: grow, but at most 4×
        #expect(sizer.size == 8_000)
        var capped = LogRangeSizer(maximum: 5_000)
        capped.refused(RangeLimit(suggested: 0...999, maxResults: 10_000), span: 5_000)
        capped.succeeded(largestAnswer: 1, span: 1_000)
        #expect(capped.size == 4_000 && capped.cap == nil)
        capped.succeeded(largestAnswer: 1, span: 4_000)
        #expect(capped.size == 5_000, "never past the configured maximum")
    }

    @Test("the headroom follows how much the density moves: a steady stream nearly fills the limit, a bursty one keeps room")
    func headroom() {
        let limit = RangeLimit(message: "query returned more than 10000 results. Try with this block range [0x0, 0x3e7].")
        var steady = LogRangeSizer(maximum: 1_000_000)
        steady.refused(limit, span: 1_000_000)
        for _ in 0..<20 { steady.succeeded(largestAnswer: Int(Double(steady.size) * 10 * 0.999), span: steady.size) }
        #expect(steady.fill == 0.98 && steady.size >= 980 && steady.size <= 982, "steady at 10 logs a block: \(steady.size)")

        var bursty = LogRangeSizer(maximum: 1_000_000)
        bursty.refused(limit, span: 1_000_000)
        for round in 0..<20 {
            let density = round % 2 == 0 ? 10.0 : 5.0
            bursty.succeeded(largestAnswer: min(10_000, Int(Double(bursty.size) * density)), span: bursty.size)
        }
        #expect(bursty.fill == 0.5, "densities that halve and double from range to range: \(bursty.fill)")

        var shifted = LogRangeSizer(maximum: 1_000_000)
        shifted.refused(limit, span: 1_000_000)
        for _ in 0..<3 { shifted.succeeded(largestAnswer: Int(Double(shifted.size) * 1), span: shifted.size) }
        let before = shifted.fill
        shifted.refused(RangeLimit(message: "query returned more than 10000 results. Try with this block range [0x0, 0x3e7]."),
                        span: shifted.size)   // a stretch at 10 logs a block
        shifted.succeeded(largestAnswer: 10_000, span: 1_000)
        #expect(shifted.fill < before && shifted.fill > 0.85 && shifted.size == UInt64(10_000 * shifted.fill / 10),
                "the refusal counts as one rise past the headroom; its range is not compared with the sparser ranges before it (\(shifted.fill), \(before))")

        var settling = LogRangeSizer(maximum: 1_000_000)
        settling.refused(limit, span: 1_000_000)
        for density in [10.0, 10, 3, 3] { settling.succeeded(largestAnswer: Int(Double(settling.size) * density), span: settling.size) }
        var level = LogRangeSizer(maximum: 1_000_000)
        level.refused(limit, span: 1_000_000)
        for _ in 0..<4 { level.succeeded(largestAnswer: Int(Double(level.size) * 10), span: level.size) }
        #expect(settling.fill == level.fill && settling.fill > 0.9 && settling.size == UInt64(10_000 * settling.fill / 3),
                "a density that falls risks no refusal: the fill is a steady stream's (\(settling.fill), \(level.fill))")

        var sparse = LogRangeSizer(maximum: 1_000_000)
        sparse.refused(limit, span: 1_000_000)
        for answer in [3, 40, 0, 900, 12] { sparse.succeeded(largestAnswer: answer, span: 1_000) }
        #expect(sparse.densitySpread == 1.0 / 30, "answers far below the limit say nothing about refusals")
    }
}
