/// Ranges read far from the head and not yet committed: the follower commits them together
/// (``ChainFollower/commit(_:)``) once they hold enough, so SQLite writes each page, and the
/// store derives and scores each agent, once per batch instead of once per range.
///
/// A read continues from the state after the ones before it (``start(from:)``: agents, payment
/// watch, logs read ahead), so reading does not wait for commits (``RangePipeline``); a failed
/// commit drops them all and the follower reads again from its cursor.
///
/// ```swift
/// var pending = PendingRanges()
/// pending.append(read)
/// if pending.isFull(rows: 10_000, bytes: 8 << 20, ranges: 8) { try follower.commit(pending.take()) }
/// ```
struct PendingRanges {
    private var reads: [RangeRead] = []
    private var rows = 0
    private var bytes = 0

    var isEmpty: Bool { reads.isEmpty }

    /// The last range read: the next one starts after it, from its state.
    var last: RangeRead? { reads.last }

    mutating func append(_ read: RangeRead) {
        reads.append(read)
        rows += read.rows
        bytes += read.bytes
    }

    /// Whether the reads give the store `rows` events and transfers or more, hold `bytes` of
    /// contract logs or more (``RangeRead/bytes``), or number `ranges` or more.
    func isFull(rows limit: Int, bytes byteLimit: Int, ranges: Int) -> Bool {
        rows >= limit || bytes >= byteLimit || reads.count >= ranges
    }

    /// Where the read after these starts: `committed` (the follower's state after its cursor)
    /// moved past each of them.
    func start(from committed: RangeStart) -> RangeStart {
        reads.reduce(into: committed) { $0.absorb($1) }
    }

    /// The reads in order, leaving none.
    mutating func take() -> [RangeRead] {
        defer { reads = []; rows = 0; bytes = 0 }
        return reads
    }

    /// Replaces the logs read ahead of the last range (a later read fetched more
    /// before it failed).
    mutating func keepAhead(_ ahead: StreamsAhead) {
        guard !reads.isEmpty else { return }
        reads[reads.count - 1].ahead = ahead
    }
}
