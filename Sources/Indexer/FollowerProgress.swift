import Foundation

/// Where a follower is, readable from any thread: what a progress display shows.
///
/// ```swift
/// let p = follower.progress
/// print(p.percent, p.blocksPerSecond, p.eta)
/// ```
public struct FollowerProgress: Sendable {
    public var chain: String
    /// The first block of this run (the cursor at start + 1, or the first source's block).
    public var startBlock: UInt64
    public var indexedBlock: UInt64?
    public var headBlock: UInt64?
    public var blocks: UInt64 = 0
    public var logs: Int = 0
    public var reorgs: Int = 0
    public var started = ContinuousClock.now

    /// Seconds since the run started.
    public var elapsed: Double {
        let d = ContinuousClock.now - started
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Share of the way from the start block to the head, 0…100.
    public var percent: Double {
        guard let head = headBlock, head >= startBlock else { return 0 }
        let done = (indexedBlock.map { $0 + 1 } ?? startBlock) - min(startBlock, indexedBlock.map { $0 + 1 } ?? startBlock)
        let total = head + 1 - startBlock
        return total == 0 ? 100 : min(100, 100 * Double(done) / Double(total))
    }

    public var blocksPerSecond: Double { elapsed > 0 ? Double(blocks) / elapsed : 0 }
    public var logsPerSecond: Double { elapsed > 0 ? Double(logs) / elapsed : 0 }

    /// Seconds to reach the head at the current pace; nil before any progress.
    public var eta: Double? {
        guard let head = headBlock, blocksPerSecond > 0 else { return nil }
        let left = head - min(head, indexedBlock ?? startBlock)
        return Double(left) / blocksPerSecond
    }

    /// One line: `devnet  block 1234/5000  24.7%  310 blocks/s  1200 logs/s  ETA 12s`.
    public var line: String {
        let eta = self.eta.map { Self.format(seconds: $0) } ?? "-"
        return String(format: "%@  block %@/%@  %5.1f%%  %.0f blocks/s  %.0f logs/s  ETA %@", chain,
                      indexedBlock.map(String.init) ?? "-", headBlock.map(String.init) ?? "-", percent,
                      blocksPerSecond, logsPerSecond, eta)
    }

    static func format(seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(s % 3600 / 60)m" }
        if s >= 60 { return "\(s / 60)m\(s % 60)s" }
        return "\(s)s"
    }
}
