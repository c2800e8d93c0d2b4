import ChainRPC
import EthereumCore

/// The token stream's logs of the blocks `from...to`, read ahead of the range being read when
/// the token stream is sparser than the contract stream: its own range spans several of the
/// ranges the contract stream's density cuts, and each takes its blocks from here.
///
/// Read ahead only while recipients are matched here rather than named in the filter (the
/// answer then depends on the tokens alone, not on the payees known so far), and without the
/// ``LogSieve`` (payees revealed later in those blocks must find their transfers): a sparse
/// stream holds few logs. Valid only for the tokens it was read for.
///
/// ```swift
/// var ahead = TokenLogsAhead(from: 101)
/// ahead.append(logs, through: 90_000, tokens: watch.tokens)
/// let logs = ahead.take(through: 2_000)   // blocks 101...2,000
/// ```
struct TokenLogsAhead: Sendable {
    /// The first block held.
    private(set) var from: UInt64
    /// The last block held; `from - 1` when empty.
    private(set) var to: UInt64
    /// The logs held, in chain order.
    private(set) var logs: [Log] = []
    /// The tokens whose logs these are.
    private(set) var tokens: Set<EthereumAddress> = []

    init(from: UInt64) {
        self.from = from
        to = from &- 1
    }

    /// Whether it holds any block.
    var isEmpty: Bool { to &+ 1 == from }

    /// Holds `chunk` (the logs of the blocks after ``to`` through `last`) for `tokens`.
    mutating func append(_ chunk: [Log], through last: UInt64, tokens: Set<EthereumAddress>) {
        logs += chunk
        self.tokens = tokens
        to = last
    }

    /// Removes and returns the logs of the blocks ``from`` through `last` (≤ ``to``).
    mutating func take(through last: UInt64) -> [Log] {
        from = last + 1
        return logs.removeLogs(through: last)
    }

    /// Undoes ``take(through:)``: `taken` (the logs of the blocks `first` through ``from`` − 1)
    /// are held again in front of the rest.
    mutating func putBack(_ taken: [Log], from first: UInt64) {
        logs = taken + logs
        from = first
    }
}

/// Both streams' logs read ahead of the next range.
struct StreamsAhead: Sendable {
    var contract: ContractLogsAhead
    var token: TokenLogsAhead

    /// Nothing read ahead of `from`.
    init(from: UInt64) {
        contract = ContractLogsAhead(from: from)
        token = TokenLogsAhead(from: from)
    }

    init(contract: ContractLogsAhead, token: TokenLogsAhead) {
        self.contract = contract
        self.token = token
    }
}

extension Array where Element == Log {
    /// Removes and returns the logs up to block `last` (the list is in block order).
    mutating func removeLogs(through last: UInt64) -> [Log] {
        let end = partitioningIndex { $0.blockNumber > last }
        let head = Array(self[..<end])
        removeFirst(end)
        return head
    }
}
