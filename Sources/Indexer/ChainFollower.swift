import ChainRPC
import EthereumCore
import Foundation
import Logging
import Store
import Synchronization

/// Follows one chain: plans block ranges up to head − confirmations, turns each range's logs
/// into events and commits them with the cursor in one transaction (``AgentStore/apply(_:)``).
///
/// Per range: the factories' and registries' logs first, which reveal new agents; then the logs
/// of every known agent, the new ones included, over the **same** range; then `getAgentCard()`
/// for agents that enrolled in a registry without being made by a known factory.
///
/// Far from the head (at or below the node's `finalized` block, or head − `reorgWindow` when
/// the node has no finality tag) ranges are as wide as the provider allows (``LogRangeSizer``)
/// and need no headers. Above it every block's header is read and linked to the stored parent:
/// a mismatch is a reorg, rolled back to the common ancestor (``AgentStore/rollback(chainID:toBlock:)``).
///
/// ```swift
/// let follower = try ChainFollower(config: chain, store: store, logger: logger)
/// try follower.prepare()                       // checks eth_chainId, reads `curated()`
/// _ = try follower.catchUp()                   // backfill to head − confirmations
/// follower.follow(until: { stopping.load() })  // then poll
/// ```
public final class ChainFollower: @unchecked Sendable {
    /// Errors that stop the follower (anything else is retried).
    public enum FollowerError: Error, CustomStringConvertible {
        case wrongChain(configured: UInt64, node: UInt64, url: String)
        case noSources(chain: String)
        case erc8004Binding(kind: String, registry: EthereumAddress, bound: EthereumAddress, configured: EthereumAddress)

        public var description: String {
            switch self {
            case .wrongChain(let configured, let node, let url):
                "the node at \(url) serves chain \(node), the config says \(configured)"
            case .noSources(let chain): "chain \(chain) has no factories, registries or ERC-8004 registries to follow"
            case .erc8004Binding(let kind, let registry, let bound, let configured):
                "the ERC-8004 \(kind) registry \(registry) is bound to the identity registry \(bound), the config names \(configured)"
            }
        }
    }

    /// Counters since the follower was made.
    public struct Statistics: Sendable {
        public var ranges = 0
        public var blocks: UInt64 = 0
        public var logs = 0
        public var events = 0
        public var skippedLogs = 0
        public var cardCalls = 0
        public var invalidCards = 0
        public var transfers = 0
        public var headers = 0
        public var reorgs = 0
        public var deepestReorg: UInt64 = 0
        public var rangeRefusals = 0
        public var laggingAnswers = 0
    }

    public let config: ChainConfig
    public let client: JSONRPCClient
    let store: AgentStore
    let decoder: LogDecoder
    let erc8004Decoder: ERC8004LogDecoder
    let logger: Logger
    let metrics: FollowerMetrics

    var sources: [EthereumAddress: SourceConfig] = [:]
    /// The ERC-8004 registries by address.
    let erc8004Registries: [EthereumAddress: ERC8004Registry]
    /// Known agents → the first block whose logs about them count.
    var known: [EthereumAddress: UInt64] = [:]
    var cursor: UInt64?
    /// Tokens and recipients (payTo addresses, agents no factory made) whose transfers are payments.
    var watch = PaymentWatch()
    /// The learned eth_getLogs ranges of each endpoint, per stream (providers differ in what they allow).
    private var endpointSizers: [String: StreamSizers] = [:]
    /// The range sizers of the endpoint in use.
    var sizers: StreamSizers {
        get { endpointSizers[client.url] ?? StreamSizers(maximum: config.blockRange) }
        set { endpointSizers[client.url] = newValue }
    }
    /// Both streams' logs read ahead of the cursor (far from the head only).
    var streamsAhead = StreamsAhead(from: 0)
    /// Far from the head a range holds about this many contract logs at most, or the provider's
    /// result limit when lower (a sparse token stream does not make one transaction derive a
    /// hundred thousand agents).
    public var rangeLogLimit = 10_000
    /// The contract stream reads another answer ahead only while it holds fewer bytes of logs
    /// than this (huge logs): what is held when the next answer arrives. One range's worth
    /// (``rangeBytes``); with 16 MiB more was held when an answer of cards arrived, for no fewer
    /// calls (100k chain: the cards' phase's sampled peak 186 → 182 MB, 146 `eth_getLogs` both).
    public var contractAheadBytes = 8 << 20
    /// One `eth_getLogs` answer of the contract stream carries about this many bytes of logs at
    /// most: the stream's range shrinks to fit (``LogRangeSizer/succeeded(largestAnswer:span:bytes:byteLimit:)``).
    /// The reader holds a whole answer until ranges take it; at 100k agents an answer of 9,000
    /// cards (the result limit's worth) was 52 MB, the largest single part of the peak.
    public var contractAnswerBytes = 32 << 20
    /// Far from the head a range holds about this many bytes of contract logs at most, and ranges
    /// read and not yet committed hold about this many each (read ahead, and waiting to commit):
    /// what bounds memory when logs carry whole cards. At 100k agents (5.4 KB cards) batches of
    /// two ranges of ≈ 9,800 cards each peaked ≈ 170 MB above batches of one.
    public var rangeBytes = 8 << 20
    /// Far from the head, ranges are committed together in one transaction until they give the
    /// store this many events and transfers, or are this many: each agent is then derived,
    /// scored and noted in the change feed once per batch, and SQLite writes a page once per
    /// batch. (Bigger transactions are slower: FTS5 holds a transaction's terms in memory.)
    public var commitBatchRows = 10_000
    public var commitBatchRanges = 8
    var bloomBits = LogCompleteness.BitCache()
    /// The node's finalized block; nil when it has no `finalized` tag.
    public internal(set) var finalized: UInt64?
    var finalityTagSupported = true
    public internal(set) var statistics = Statistics()
    /// The last head seen.
    public internal(set) var head: UInt64?
    private let progressBox: Mutex<FollowerProgress>

    /// Where the follower is; safe to read from any thread.
    public var progress: FollowerProgress { progressBox.withLock { $0 } }

    func updateProgress(_ change: (inout FollowerProgress) -> Void) {
        progressBox.withLock { change(&$0) }
    }

    /// Above this many known agents (or payees), their logs are fetched by topic alone and
    /// matched here (``ChainConfig/addressFilterLimit``).
    public var addressFilterLimit: Int

    public init(config: ChainConfig, store: AgentStore, logger: Logger, client: JSONRPCClient? = nil) throws {
        guard !(config.factories.isEmpty && config.registries.isEmpty && config.erc8004.isEmpty) else {
            throw FollowerError.noSources(chain: config.name)
        }
        self.config = config
        self.store = store
        self.logger = logger
        self.client = client ?? JSONRPCClient(
            urls: config.rpcURLs, transport: CurlTransport(options: .init(totalTimeout: config.rpcTimeout)),
            policy: RetryPolicy(maxAttempts: config.rpcAttempts))
        self.decoder = LogDecoder()
        self.erc8004Decoder = ERC8004LogDecoder()
        self.erc8004Registries = Dictionary(config.erc8004.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        self.metrics = FollowerMetrics(chain: config.name)
        self.addressFilterLimit = config.addressFilterLimit
        self.progressBox = Mutex(FollowerProgress(chain: config.name, startBlock: config.startBlock))
    }

    /// Checks the node's chain id, resolves which registries are curated, records the chain and
    /// its sources, and loads the cursor and the known agents.
    public func prepare() throws {
        let nodeChain = try client.chainID()
        guard nodeChain == config.chainID else {
            throw FollowerError.wrongChain(configured: config.chainID, node: nodeChain, url: client.url)
        }
        var resolved: [SourceConfig] = config.factories.map {
            SourceConfig(address: $0.address, kind: .factory, startBlock: $0.startBlock)
        }
        for registry in config.registries {
            let curated = try registry.curated ?? readCurated(registry.address)
            resolved.append(SourceConfig(address: registry.address, kind: .registry, startBlock: registry.startBlock, curated: curated))
        }
        sources = Dictionary(resolved.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        try store.registerChain(id: config.chainID, name: config.name, sources: resolved, erc8004: config.erc8004,
                                assets: config.paymentAssets)
        try checkERC8004Binding()
        try loadState()
        for registry in config.erc8004 where registry.startBlock == 0 && cursor == nil {
            logger.notice("ERC-8004 registry followed from block 0: its first block on this chain is not known (give ADDRESS@BLOCK to skip the empty history)",
                          metadata: ["registry": "\(registry.address)", "kind": "\(registry.kind.rawValue)"])
        }
        let start = cursor.map { $0 + 1 } ?? config.startBlock
        let indexed = cursor
        updateProgress { $0.startBlock = start; $0.indexedBlock = indexed; $0.started = .now }
        logger.info("prepared", metadata: ["chain": "\(config.name)", "chainId": "\(config.chainID)",
                                           "cursor": "\(cursor.map(String.init) ?? "none")", "agents": "\(known.count)"])
    }

    /// Reads the cursor, the known agents and the payment watch list from the store.
    func loadState() throws {
        cursor = try store.cursor(chainID: config.chainID)
        known = try store.knownAgents(chainID: config.chainID)
        watch = try store.paymentWatch(chainID: config.chainID)
        streamsAhead = StreamsAhead(from: 0)
    }

    /// The last indexed block (nil before the first range).
    public var indexedBlock: UInt64? { cursor }

    /// The first block any source needs.
    public var firstBlock: UInt64 { config.startBlock }

    /// Indexes every range up to head − confirmations. Returns true when caught up, false when
    /// `shouldStop` interrupted it.
    @discardableResult
    public func catchUp(shouldStop: () -> Bool = { false }) throws -> Bool {
        let head = try client.blockNumber()
        if let cursor, head < cursor {
            try headBehindCursor(head: head)
            if let current = self.cursor, head < current { return true }   // a lagging node: wait for it
        }
        self.head = head
        updateProgress { $0.headBlock = head }
        try refreshFinalized()
        metrics.positions(head: head, indexed: cursor)
        guard head >= config.confirmations else {
            try store.recordHead(chainID: config.chainID, head: head, caughtUp: true)
            return true
        }
        let target = head - config.confirmations
        if nextBlock > target { try verifyTip(head: head) }
        var pipeline: RangePipeline?   // ranges below the floor, read while earlier ones commit
        defer { pipeline?.stop() }
        var pending = PendingRanges()   // ranges read far from the head, committed together
        let bulk = isLongBackfill(head: head)
        while true {
            let next = pending.last.map { $0.to + 1 } ?? nextBlock
            guard next <= target else { break }
            if shouldStop() {
                try commit(pending.take(), bulk: bulk)
                return false
            }
            // Payees a fetched A2A card named (or dropped) are read again first; ranges read
            // with the old watch list (ahead, or waiting to commit) are read again.
            if try refreshPayees() {
                pipeline?.stop()
                pipeline = nil
                if !pending.isEmpty {
                    _ = pending.take()
                    continue
                }
            }
            let floor = reorgFloor(head: head)
            let nearHead = next > floor
            if nearHead, !pending.isEmpty {   // near the head every range commits on its own
                try commit(pending.take())
                continue
            }
            do {
                let read: RangeRead
                if nearHead {
                    pipeline?.stop()
                    pipeline = nil
                    // Near the head nothing is read ahead (left as it is); the agents and watch
                    // change when the range commits.
                    var (ahead, agents, payees) = (streamsAhead, known, watch)
                    read = try readRange(from: next, limit: target, head: head, nearHead: true, target: target,
                                         known: &agents, watch: &payees, bloomBits: bloomBits, sizers: sizers, ahead: &ahead)
                } else {
                    if pipeline?.nextFrom != next {
                        pipeline?.stop()
                        var start = pending.start(from: RangeStart(from: nextBlock, known: known, watch: watch, bloomBits: bloomBits,
                                                                   sizers: sizers, ahead: streamsAhead))
                        start.sizers = sizers
                        pipeline = readBelowFloor(from: start, head: head, target: target, floor: floor)
                    }
                    guard let outcome = pipeline?.next() else {
                        pipeline = nil
                        continue
                    }
                    read = try outcome.get()
                }
                sizers = read.sizers
                pending.append(read)
                if read.nearHead || read.reachesTarget || pending.isFull(rows: commitBatchRows, bytes: rangeBytes, ranges: commitBatchRanges) {
                    try commit(pending.take(), bulk: bulk)
                }
            } catch let failure as StreamFailure where failure.error.rangeLimit != nil && failure.span > 1 {
                pipeline = nil   // it ended with this read
                if let progress = failure.progress {   // keep what was learned and read ahead
                    sizers = progress.sizers
                    if pending.isEmpty { streamsAhead = progress.ahead } else { pending.keepAhead(progress.ahead) }
                }
                refused(failure)
            } catch let failure as StreamFailure where failure.error == .timeout && failure.span > 1 {
                pipeline = nil
                sizers[failure.stream].timedOut(span: failure.span)
                logger.warning("range timed out; halving it", metadata: ["stream": "\(failure.stream.rawValue)", "from": "\(next)",
                                                                         "blocks": "\(failure.span)"])
            } catch let failure as StreamFailure {
                throw failure.error
            } catch let reorg as ReorgDetected {
                try resolveReorg(reorg)
            }
            metrics.positions(head: head, indexed: cursor)
        }
        try commit(pending.take())
        try refreshPayees()
        try store.recordHead(chainID: config.chainID, head: head, caughtUp: true)
        return true
    }

    /// Reads the ranges from `start` up to the reorg floor (or `target`) one after another on a
    /// thread of their own: below the floor a range needs neither headers nor the stored parent.
    private func readBelowFloor(from start: RangeStart, head: UInt64, target: UInt64, floor: UInt64) -> RangePipeline {
        let limit = min(target, floor)
        return RangePipeline(start: start, rows: commitBatchRows, bytes: rangeBytes) { [self] start in
            guard start.from <= limit else { return nil }
            return try readRange(from: start.from, limit: limit, head: head, nearHead: false, target: target, known: &start.known,
                                 watch: &start.watch, bloomBits: start.bloomBits, sizers: start.sizers, ahead: &start.ahead)
        }
    }

    /// The next block to index: the one after the cursor.
    private var nextBlock: UInt64 { cursor.map { $0 + 1 } ?? config.startBlock }

    /// Whether the blocks left below the reorg floor are at least as many as those indexed so
    /// far: then the store's batches there are bulk (``RangeBatch/bulk``) and it builds its read
    /// indexes once at the end, a sort of the rows stored by then, instead of writing every row
    /// into them. Blocks stand in for rows: after a short pause the indexes stay.
    private func isLongBackfill(head: UInt64) -> Bool {
        let floor = reorgFloor(head: head)
        guard floor >= nextBlock else { return false }
        return floor - nextBlock + 1 >= nextBlock - min(nextBlock, config.startBlock)
    }

    private func refused(_ failure: StreamFailure) {
        guard let limit = failure.error.rangeLimit else { return }
        sizers[failure.stream].refused(limit, span: failure.span)
        statistics.rangeRefusals += 1
        metrics.rangeRefused()
        let sizer = sizers[failure.stream]
        logger.notice("the provider refused the range; shrinking it",
                      metadata: ["stream": "\(failure.stream.rawValue)", "span": "\(failure.span)", "next": "\(sizer.size)",
                                 "cap": "\(sizer.cap.map(String.init) ?? "none")", "error": "\(failure.error)"])
    }

    /// Blocks at or below this are final: backfilled in wide ranges without headers.
    func reorgFloor(head: UInt64) -> UInt64 {
        let window = head > config.reorgWindow ? head - config.reorgWindow : 0
        guard let finalized else { return window }
        return min(finalized, head)
    }

    /// Reads the node's `finalized` block; remembers when the node has no such tag.
    private func refreshFinalized() throws {
        guard finalityTagSupported else { return }
        do {
            finalized = try client.blockHeader(.finalized)?.number
        } catch let error where error.isTransient {
            throw error
        } catch {
            finalityTagSupported = false
            finalized = nil
            logger.notice("the node has no 'finalized' block tag; treating head − reorgWindow as final",
                          metadata: ["reorgWindow": "\(config.reorgWindow)", "error": "\(error)"])
        }
    }

    /// Polls forever (every `pollInterval`), indexing new blocks, until `shouldStop` returns true.
    /// Failures are logged and retried with a growing pause (1 s … 30 s).
    /// `onCaughtUp` runs once, the first time the follower reaches head − confirmations.
    public func follow(until shouldStop: () -> Bool, onCaughtUp: () -> Void = {}) {
        var failures = 0
        var reported = false
        while !shouldStop() {
            do {
                if try catchUp(shouldStop: shouldStop), !reported {
                    reported = true
                    onCaughtUp()
                }
                failures = 0
                sleep(config.pollInterval, unless: shouldStop)
            } catch {
                failures += 1
                let pause = Duration.milliseconds(min(30_000, 250 << min(failures - 1, 7)))
                logger.error("indexing failed; retrying", metadata: ["error": "\(error)", "retryIn": "\(pause)"])
                sleep(pause, unless: shouldStop)
            }
        }
    }

    /// Catches up once, retrying failures like ``follow(until:onCaughtUp:)`` does, at most
    /// `attempts` times in a row: `agentindex index --once`.
    public func catchUpRetrying(attempts: Int = 8) throws {
        var failures = 0
        while true {
            do {
                try catchUp()
                return
            } catch {
                failures += 1
                guard failures < attempts else { throw error }
                logger.error("indexing failed; retrying", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: min(30, 0.25 * Double(1 << min(failures - 1, 7))))
            }
        }
    }

    func sleep(_ duration: Duration, unless shouldStop: () -> Bool) {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline, !shouldStop() {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Reputation and Validation registries are bound to one Identity Registry
    /// (`getIdentityRegistry()`); a configured pair that disagrees would file feedback under the
    /// wrong agents, so it is refused. A registry that does not answer is followed as configured.
    private func checkERC8004Binding() throws {
        guard let identity = config.erc8004Registry(.identity)?.address else { return }
        for kind in [ERC8004Registry.Kind.reputation, .validation] {
            guard let registry = config.erc8004Registry(kind)?.address else { continue }
            let answer = Result { () throws(RPCError) -> [UInt8] in
                try client.ethCall(to: registry, data: ERC8004Events.getIdentityRegistrySelector)
            }
            switch answer {
            case .success(let raw):
                if let bound = (try? ABIDecoder.decode([.address], from: raw))?.first?.addressValue, bound != identity {
                    throw FollowerError.erc8004Binding(kind: kind.rawValue, registry: registry, bound: bound, configured: identity)
                }
            case .failure(let error) where error.isExecutionFailure:
                logger.notice("ERC-8004 registry has no readable getIdentityRegistry(); following it as configured",
                              metadata: ["registry": "\(registry)", "kind": "\(kind.rawValue)"])
            case .failure(let error):
                throw error
            }
        }
    }

    private func readCurated(_ registry: EthereumAddress) throws -> Bool {
        let answer = Result { () throws(RPCError) -> [UInt8] in
            try client.ethCall(to: registry, data: ContractEvents.curatedSelector)
        }
        switch answer {
        case .success(let raw):
            if let value = (try? ABIDecoder.decode([.bool], from: raw))?.first?.boolValue { return value }
        case .failure(let error) where error.isExecutionFailure:
            break
        case .failure(let error):
            throw error
        }
        logger.warning("registry has no readable curated(); treating it as open", metadata: ["registry": "\(registry)"])
        return false
    }
}

extension RPCError {
    /// The call ran and failed in the EVM (revert, out of gas, invalid opcode): an answer, not
    /// a transport problem.
    var isExecutionFailure: Bool {
        guard case .rpc(let code, let message, _) = self else { return false }
        let text = message.lowercased()
        return code == 3 || ["revert", "out of gas", "invalid opcode", "execution", "stack underflow", "invalid jump"]
            .contains { text.contains($0) }
    }

    /// The node does not have the state of the requested block (a pruned, non-archive node).
    var isMissingState: Bool {
        guard case .rpc(_, let message, _) = self else { return false }
        let text = message.lowercased()
        return ["missing trie node", "header not found", "state not available", "pruned", "historical state",
                "unknown block", "not available"].contains { text.contains($0) }
    }
}
