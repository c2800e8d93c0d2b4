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

    @Test("under a result limit a range that fit grows by its density (at most 4×), never shrinks, within the maximum")
    func density() {
        var sizer = LogRangeSizer(maximum: 1_000_000)
        sizer.refused(RangeLimit(message: "query returned more than 10000 results. Try with this block range [0x0, 0x3e7]."),
                      span: 1_000_000)
        #expect(sizer.size == 1_000 && sizer.cap == nil && sizer.resultLimit == 10_000)
        sizer.succeeded(largestAnswer: 4_500, span: 1_000)   // 4.5 logs a block: aim at 9,000 logs
        #expect(sizer.size == 2_000)
        sizer.succeeded(largestAnswer: 9_900, span: 2_000)   // denser, but it fit: keep the span
        #expect(sizer.size == 2_000)
        sizer.succeeded(largestAnswer: 0, span: 2_000)       // empty: grow, but at most 4×
        #expect(sizer.size == 8_000)
        var capped = LogRangeSizer(maximum: 5_000)
        capped.refused(RangeLimit(suggested: 0...999, maxResults: 10_000), span: 5_000)
        capped.succeeded(largestAnswer: 1, span: 1_000)
        #expect(capped.size == 4_000 && capped.cap == nil)
        capped.succeeded(largestAnswer: 1, span: 4_000)
        #expect(capped.size == 5_000, "never past the configured maximum")
    }

    @Test("given a byte limit, a range whose answer carried more shrinks to the span that fills 90 % of it; one under it grows as before")
    func bytes() {
        var sizer = LogRangeSizer(maximum: 1_000_000)
        sizer.refused(RangeLimit(message: "query returned more than 10000 results. Try with this block range [0x0, 0x3e7]."),
                      span: 1_000_000)
        // 9,000 logs in 18,000 blocks carrying 50 MiB: the results allow 18,000 blocks, 90 % of 32 MiB 10,368.
        sizer.succeeded(largestAnswer: 9_000, span: 18_000, bytes: 50 << 20, byteLimit: 32 << 20)
        #expect(sizer.size == 10_368)
        sizer.succeeded(largestAnswer: 1_000, span: 10_000, bytes: 1 << 20, byteLimit: 32 << 20)   // small logs: the result limit rules
        #expect(sizer.size == 40_000)
        sizer.succeeded(largestAnswer: 1_000, span: 40_000, bytes: 64 << 20)   // no byte limit: bytes do not count
        #expect(sizer.size == 160_000)
        var doubling = LogRangeSizer(maximum: 1_000)   // no result limit learned: doubles, and bytes still bound it
        doubling.succeeded(largestAnswer: 10, span: 100, bytes: 100 << 20, byteLimit: 10 << 20)
        #expect(doubling.size == 9)
        doubling.succeeded(largestAnswer: 1, span: 1, bytes: 1 << 30, byteLimit: 1)
        #expect(doubling.size == 1, "never below one block")
    }
}
