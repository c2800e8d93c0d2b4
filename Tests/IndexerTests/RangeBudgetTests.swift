@testable import ChainRPC
import EthereumCore
@testable import Indexer
import Store
import Testing

/// What bounds a range far from the head, and the ranges held before they commit: a count of
/// logs and rows, and the bytes of the contract logs (cards carried in logs are kilobytes each).
@Suite("Range budget: logs, rows and bytes")
struct RangeBudgetTests {
    /// A contract log of `block` carrying `dataBytes` bytes of data.
    func log(block: UInt64, index: UInt64 = 0, dataBytes: Int) throws -> Log {
        try Log(Log.Fields(address: [UInt8](repeating: 0xab, count: 20), topics: [TopicWord([UInt8](repeating: 1, count: 32))!],
                           data: [UInt8](repeating: 0, count: dataBytes), blockNumber: block,
                           blockHash: TopicWord([UInt8](repeating: UInt8(block % 256), count: 32)),
                           transactionHash: TopicWord([UInt8](repeating: 1, count: 32)),
                           transactionIndex: 0, logIndex: index, removed: false, blockTimestamp: nil))
    }

    @Test("a range ends at the block where its contract logs reach the log limit or the byte budget, whichever comes first")
    func rangeEnd() throws {
        var ahead = ContractLogsAhead(from: 1)
        // Sources in blocks 1, 3, 5, …; agents' logs in 2, 4, 6, …: the budget counts them in chain order.
        let sources = try (0..<10).map { try log(block: UInt64(2 * $0 + 1), dataBytes: 1_000) }
        let agents = try (0..<10).map { try log(block: UInt64(2 * $0 + 2), dataBytes: 5_000) }
        ahead.append(ContractLogs(sources: sources, agents: agents), through: 20)
        let perLog = (source: ContractLogs.bytes(of: sources[0]), agent: ContractLogs.bytes(of: agents[0]))
        #expect(ahead.block(reaching: 5, bytes: .max) == 5, "the fifth log in chain order is block 5's")
        #expect(ahead.block(reaching: 100, bytes: 2 * perLog.source + 2 * perLog.agent) == 4, "four logs fill the bytes exactly")
        #expect(ahead.block(reaching: 100, bytes: 2 * perLog.source + 2 * perLog.agent + 1) == 5)
        #expect(ahead.block(reaching: 100, bytes: 1) == 1, "a log larger than the budget is a range of its own block")
        #expect(ahead.block(reaching: 21, bytes: .max) == nil, "fewer logs than the limit: the range is not cut")
    }

    /// A range's read that fails keeps what was read ahead, the range's own logs included
    /// (``RangeSlices/whole``): made again from the range and the rest, not held as a copy.
    @Test("a range taken from the logs read ahead is put back in front of the rest when its read fails")
    func putBack() throws {
        var contract = ContractLogsAhead(from: 1)
        let sources = try (0..<10).map { try log(block: UInt64(2 * $0 + 1), dataBytes: 100) }
        let agents = try (0..<10).map { try log(block: UInt64(2 * $0 + 2), dataBytes: 300) }
        contract.append(ContractLogs(sources: sources, agents: agents), through: 24)
        var token = TokenLogsAhead(from: 1)
        let transfers = try (1...30).map { try log(block: UInt64($0), dataBytes: 32) }
        token.append(transfers, through: 30, tokens: [.zero])
        let before = (contract: contract, token: token)

        let taken = contract.take(through: 8)
        let takenTransfers = token.take(through: 8)
        #expect(taken.count == 8 && takenTransfers.count == 8 && contract.from == 9 && token.from == 9)
        #expect(contract.logs.count == 12 && token.logs.count == 22)

        let slices = RangeSlices(to: 8, contract: taken, tokenLogs: takenTransfers, tokens: [.zero],
                                 ahead: StreamsAhead(contract: contract, token: token), sizers: StreamSizers(maximum: 10),
                                 from: 1, nearHead: false)
        let whole = slices.whole
        #expect(whole.contract.from == 1 && whole.contract.to == 24 && whole.contract.bytes == before.contract.bytes)
        #expect(whole.contract.logs.sources == sources && whole.contract.logs.agents == agents && whole.contract.logs.registries.isEmpty)
        #expect(whole.token.from == 1 && whole.token.to == 30 && whole.token.logs == transfers && whole.token.tokens == [.zero])

        var near = slices
        near.nearHead = true
        #expect(near.whole.contract.isEmpty && near.whole.token.isEmpty && near.whole.contract.from == 1,
                "near the head nothing is kept read ahead (a reorg may change it)")
    }

    @Test("ranges held before they commit are a batch once their rows, their bytes or their number reach the limit")
    func batch() {
        func read(from: UInt64, bytes: Int) -> RangeRead {
            var read = RangeRead(from: from, to: from, head: 100, nearHead: false, reachesTarget: false,
                                 bloomBits: LogCompleteness.BitCache(), sizers: StreamSizers(maximum: 10), ahead: StreamsAhead(from: from + 1))
            read.bytes = bytes
            return read
        }
        var pending = PendingRanges()
        pending.append(read(from: 1, bytes: 3_000))
        #expect(!pending.isFull(rows: 10, bytes: 8_000, ranges: 8))
        pending.append(read(from: 2, bytes: 5_000))
        #expect(pending.isFull(rows: 10, bytes: 8_000, ranges: 8), "8,000 bytes held")
        #expect(pending.take().count == 2 && !pending.isFull(rows: 10, bytes: 1, ranges: 8), "taking them empties the budget")
        for block in 1...3 { pending.append(read(from: UInt64(block), bytes: 0)) }
        #expect(pending.isFull(rows: 10, bytes: 8_000, ranges: 3))
    }

    @Test("the read after ranges waiting to commit starts from the committed agents and watch plus what each of them revealed")
    func startAfterPending() {
        func address(_ byte: UInt8) -> EthereumAddress { try! EthereumAddress(bytes: [UInt8](repeating: byte, count: 20)) }
        let (old, first, second, usdc, payTo, wallet) = (address(1), address(2), address(3), address(9), address(7), address(8))
        func read(from: UInt64, to: UInt64, agents: [EthereumAddress: UInt64], watch: PaymentWatch) -> RangeRead {
            var read = RangeRead(from: from, to: to, head: 100, nearHead: false, reachesTarget: false,
                                 bloomBits: LogCompleteness.BitCache(), sizers: StreamSizers(maximum: 10 + to), ahead: StreamsAhead(from: to + 1))
            (read.newAgents, read.watchAdded) = (agents, watch)
            return read
        }
        let committed = RangeStart(from: 11, known: [old: 3], watch: PaymentWatch(tokens: [usdc], recipients: [old]),
                                   bloomBits: LogCompleteness.BitCache(), sizers: StreamSizers(maximum: 10), ahead: StreamsAhead(from: 11))
        var pending = PendingRanges()
        #expect(pending.start(from: committed).from == 11 && pending.start(from: committed).known == [old: 3], "nothing waiting: the committed state")
        pending.append(read(from: 11, to: 20, agents: [first: 12], watch: PaymentWatch(recipients: [payTo])))
        pending.append(read(from: 21, to: 30, agents: [second: 25], watch: PaymentWatch(tokens: [payTo], recipients: [wallet])))
        let start = pending.start(from: committed)
        #expect(start.from == 31 && start.ahead.contract.from == 31 && start.sizers.contract.size == StreamSizers(maximum: 40).contract.size)
        #expect(start.known == [old: 3, first: 12, second: 25])
        #expect(start.watch == PaymentWatch(tokens: [usdc, payTo], recipients: [old, payTo, wallet]))
        #expect(committed.known == [old: 3] && committed.watch.recipientCount == 1, "the committed state itself is not changed")
    }
}
