import EthereumCore
import Foundation
import Store

/// Ranges below the reorg floor, read one after another on a thread of their own while the
/// follower commits the ones before: the backfill then fetches, parses and decodes on one core
/// while SQLite writes on the other, and neither waits for the other while a batch of ranges
/// fills (``PendingRanges``).
///
/// Each read starts from the one before it (``RangeStart``), never from the follower's committed
/// state: below the floor a range needs no headers and no stored parent. Reads wait to be taken
/// until they give the store `rows` events and transfers (one at least), or hold `bytes` of
/// contract logs (``RangeRead/bytes``): small ranges queue up
/// while a batch commits, a large one waits alone. The pipeline ends at its limit, or after a read that failed (the follower
/// handles the error and starts a new pipeline).
///
/// ```swift
/// let pipeline = RangePipeline(start: start, rows: 10_000, bytes: 8 << 20) { try follower.readRange(from: $0.from, …) }
/// while let read = try pipeline.next()?.get() { pending.append(read) … }
/// pipeline.stop()
/// ```
final class RangePipeline: @unchecked Sendable {
    private let condition = NSCondition()
    /// Reads done and not yet taken, in order.
    private var ready: [Result<RangeRead, any Error>] = []
    private var stopping = false
    private var finished = false
    /// Reads stop while those waiting give the store this many rows, or hold this many bytes.
    private let rows: Int
    private let bytes: Int
    /// The first block of the next read ``next()`` gives.
    private(set) var nextFrom: UInt64

    /// Starts reading from `start`; `read` returns nil past the pipeline's limit, brings the
    /// start's agents and watch up to date, and takes the logs read ahead out of it (``ChainFollower/sliceRange(from:limit:nearHead:known:watch:sizers:ahead:)``).
    init(start: RangeStart, rows: Int, bytes: Int, read: @escaping @Sendable (inout RangeStart) throws -> RangeRead?) {
        self.rows = rows
        self.bytes = bytes
        nextFrom = start.from
        let thread = Thread { [self] in run(from: start, read: read) }
        thread.name = "agentindex.read"
        thread.start()
    }

    private func run(from first: RangeStart, read: (inout RangeStart) throws -> RangeRead?) {
        var start = first
        while true {
            condition.lock()
            while isFull && !stopping { condition.wait() }
            let stop = stopping
            condition.unlock()
            if stop { break }
            var outcome: Result<RangeRead, any Error>?
            do {
                outcome = try read(&start).map { .success($0) }
            } catch {
                outcome = .failure(error)
            }
            if case .success(var done)? = outcome {
                // The read brought the start's agents and watch up to date in place. The logs read
                // ahead go to the next read alone; a read waiting to be taken holds none (a
                // follower that starts again from it reads them again).
                start.advance(past: done)
                done.ahead = StreamsAhead(from: done.to + 1)
                outcome = .success(done)
            }
            condition.lock()
            if let outcome { ready.append(outcome) }
            condition.broadcast()
            condition.unlock()
            guard case .success? = outcome else { break }
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether the reads waiting to be taken give the store ``rows`` or hold ``bytes`` (an error
    /// counts as full).
    private var isFull: Bool {
        var (waitingRows, waitingBytes) = (0, 0)
        for outcome in ready {
            guard case .success(let read) = outcome else { return true }
            waitingRows += max(1, read.rows)
            waitingBytes += read.bytes
        }
        return waitingRows >= rows || waitingBytes >= bytes
    }

    /// The next read (or its error), waiting for it; nil once the pipeline has reached its limit.
    func next() -> Result<RangeRead, any Error>? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        guard !ready.isEmpty else { return nil }
        let outcome = ready.removeFirst()
        if case .success(let read) = outcome { nextFrom = read.to + 1 }
        condition.broadcast()
        return outcome
    }

    /// Stops reading, waits for the thread to end, and drops what it read.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        ready = []
        condition.unlock()
    }
}

/// Where a range's read starts: its first block and the state of the reads before it. The reading
/// thread keeps one, and each read brings its agents and watch up to date in place.
struct RangeStart: Sendable {
    var from: UInt64
    var known: [EthereumAddress: UInt64]
    var watch: PaymentWatch
    var bloomBits: LogCompleteness.BitCache
    var sizers: StreamSizers
    var ahead: StreamsAhead

    /// Moves past `read`, a read that started here: what it learned and read ahead. Its agents
    /// and watch are not added: ``ChainFollower/readRange(from:limit:head:nearHead:target:known:watch:bloomBits:sizers:ahead:)``
    /// added them to this start's already.
    mutating func advance(past read: RangeRead) {
        from = read.to + 1
        bloomBits = read.bloomBits
        sizers = read.sizers
        ahead = read.ahead
    }

    /// Moves past `read`, a read that started from another copy of this state, adding what it
    /// revealed (a read waiting to commit, when the follower starts reading again after it).
    mutating func absorb(_ read: RangeRead) {
        known.merge(read.newAgents) { first, _ in first }
        watch.formUnion(read.watchAdded)
        advance(past: read)
    }
}
