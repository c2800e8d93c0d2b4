import Foundation

/// A block range read on its own thread while the follower commits the one before it: the
/// backfill then fetches, parses and decodes on one core while SQLite writes on the other.
///
/// Only ranges below the reorg floor are read ahead: they need no headers and no stored parent,
/// so reading them depends only on the previous range's read, never on its commit.
///
/// ```swift
/// let ahead = RangePrefetch(from: 101, sizers: sizers) { try follower.readRange(...) }
/// try follower.commit(current)          // meanwhile 101...200 is fetched
/// let next = try ahead.value()           // waits, then the read or its error
/// ```
final class RangePrefetch: @unchecked Sendable {
    let from: UInt64
    /// The range sizes the read started from: a read started with others is not the next one.
    let sizers: StreamSizers
    private let finished = DispatchSemaphore(value: 0)
    /// Written once by the reading thread before `finished` is signalled; read only after.
    private var outcome: Result<RangeRead, any Error>?

    init(from: UInt64, sizers: StreamSizers, read: @escaping @Sendable () throws -> RangeRead) {
        self.from = from
        self.sizers = sizers
        let thread = Thread { [self] in
            outcome = Result { try read() }
            finished.signal()
        }
        thread.name = "agentindex.prefetch"
        thread.start()
    }

    /// Waits for the read; returns it or throws its error.
    func value() throws -> RangeRead {
        waitForRead()
        return try outcome!.get()
    }

    /// Waits for the read and drops it (the follower stops, or the range is not the next one).
    func discard() {
        waitForRead()
        outcome = nil
    }

    private func waitForRead() {
        finished.wait()
        finished.signal()   // a second wait does not block
    }
}
