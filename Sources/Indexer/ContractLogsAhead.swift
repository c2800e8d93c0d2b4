import ChainRPC

/// The contract stream's logs of the blocks `from...to`, fetched ahead of the range being
/// read: the contract stream is read in its own ranges (as wide as its density allows) and each
/// range takes the blocks it spans from here.
///
/// Reading ahead does not depend on where ranges are cut: sources and ERC-8004 registries are
/// read by address, agents' logs by topic (above the address-filter limit) or by the addresses
/// known when the read-ahead began plus those its own sources reveal — the agents any range
/// starting inside it knows. Held only below the reorg
/// floor, so no reorg can change them; a range's worth of logs at most
/// (``ChainFollower/rangeLogLimit``, or ``ChainFollower/contractAheadBytes``).
///
/// ```swift
/// var ahead = ContractLogsAhead(from: 101)
/// ahead.append(chunk, through: 5_000)
/// let logs = ahead.take(through: 2_000)   // blocks 101...2,000; 2,001...5,000 stay
/// ```
struct ContractLogsAhead: Sendable {
    /// The first block held (the next range's first block).
    private(set) var from: UInt64
    /// The last block held; `from - 1` when empty.
    private(set) var to: UInt64
    private(set) var logs = ContractLogs()
    /// Roughly the memory the held logs take (their data, topics and hashes).
    private(set) var bytes = 0

    init(from: UInt64) {
        self.from = from
        to = from &- 1
    }

    /// Whether it holds any block.
    var isEmpty: Bool { to &+ 1 == from }

    /// The block of the first log (in chain order) at which the logs held so far number `logs`
    /// or take `bytes` (``ContractLogs/bytes(of:)``); nil when the held logs reach neither.
    ///
    /// ```swift
    /// ahead.block(reaching: 10_000, bytes: 8 << 20)   // where a range of 10,000 logs or 8 MiB ends
    /// ```
    func block(reaching logs: Int, bytes: Int) -> UInt64? {
        // The three lists are each in chain order: merge them, stopping at the budget.
        let lists = [self.logs.sources, self.logs.agents, self.logs.registries]
        var next = [0, 0, 0]
        var (count, held) = (0, 0)
        while true {
            var list = -1
            for candidate in 0..<3 where next[candidate] < lists[candidate].count {
                if list < 0 || lists[candidate][next[candidate]].blockNumber < lists[list][next[list]].blockNumber { list = candidate }
            }
            guard list >= 0 else { return nil }
            let log = lists[list][next[list]]
            next[list] += 1
            count += 1
            held += ContractLogs.bytes(of: log)
            if count >= logs || held >= bytes { return log.blockNumber }
        }
    }

    /// Adds the logs of the blocks after ``to`` through `last`.
    mutating func append(_ chunk: ContractLogs, through last: UInt64) {
        logs.sources += chunk.sources
        logs.agents += chunk.agents
        logs.registries += chunk.registries
        bytes += chunk.bytes
        to = last
    }

    /// Removes and returns the logs of the blocks ``from`` through `last` (≤ ``to``).
    mutating func take(through last: UInt64) -> ContractLogs {
        let taken = ContractLogs(sources: logs.sources.removeLogs(through: last),
                                 agents: logs.agents.removeLogs(through: last),
                                 registries: logs.registries.removeLogs(through: last))
        bytes = max(0, bytes - taken.bytes)
        from = last + 1
        return taken
    }

    /// Undoes ``take(through:)``: `taken` (the logs of the blocks `first` through ``from`` − 1)
    /// are held again in front of the rest.
    mutating func putBack(_ taken: ContractLogs, from first: UInt64) {
        logs = ContractLogs(sources: taken.sources + logs.sources, agents: taken.agents + logs.agents,
                            registries: taken.registries + logs.registries)
        bytes += taken.bytes
        from = first
    }

}

/// The contract stream's logs of some blocks, each list in chain order.
struct ContractLogs: Sendable {
    /// The factories' and registries' logs.
    var sources: [Log] = []
    /// The agents' own logs.
    var agents: [Log] = []
    /// The ERC-8004 registries' logs.
    var registries: [Log] = []

    var count: Int { sources.count + agents.count + registries.count }

    /// Roughly the memory the logs take.
    var bytes: Int {
        [sources, agents, registries].reduce(0) { total, list in list.reduce(total) { $0 + Self.bytes(of: $1) } }
    }

    /// Roughly the memory one log takes (its data, topics and hashes).
    static func bytes(of log: Log) -> Int { 160 + log.data.count + 32 * log.topics.count }
}

extension Array {
    /// The first index whose element satisfies `belongs`, for a predicate that is false, then true.
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
