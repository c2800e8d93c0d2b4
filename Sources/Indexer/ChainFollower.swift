import ChainRPC
import EthereumCore
import Foundation
import Logging
import Store

/// Follows one chain: plans block ranges up to head − confirmations, turns each range's logs
/// into events and commits them with the cursor in one transaction (``AgentStore/apply(_:)``).
///
/// Per range: the factories' and registries' logs first, which reveal new agents; then the logs
/// of every known agent, the new ones included, over the **same** range; then `getAgentCard()`
/// for agents that enrolled in a registry without being made by a known factory.
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

        public var description: String {
            switch self {
            case .wrongChain(let configured, let node, let url):
                "the node at \(url) serves chain \(node), the config says \(configured)"
            case .noSources(let chain): "chain \(chain) has no factories or registries to follow"
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
        public var transfers = 0
        public var headers = 0
    }

    public let config: ChainConfig
    public let client: JSONRPCClient
    let store: AgentStore
    let decoder: LogDecoder
    let logger: Logger

    private var sources: [EthereumAddress: SourceConfig] = [:]
    /// Known agents → the first block whose logs about them count.
    private var known: [EthereumAddress: UInt64] = [:]
    private var cursor: UInt64?
    /// Tokens and recipients (payTo addresses, agents no factory made) whose transfers are payments.
    private var watch = PaymentWatch()
    public private(set) var statistics = Statistics()
    /// The last head seen.
    public private(set) var head: UInt64?

    /// Above this many known agents, agent logs are fetched by topic alone and filtered here.
    public var addressFilterLimit = 1_000

    public init(config: ChainConfig, store: AgentStore, logger: Logger, client: JSONRPCClient? = nil) throws {
        guard !(config.factories.isEmpty && config.registries.isEmpty) else { throw FollowerError.noSources(chain: config.name) }
        self.config = config
        self.store = store
        self.logger = logger
        self.client = client ?? JSONRPCClient(url: config.rpcURLs[0])
        self.decoder = LogDecoder()
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
        try store.registerChain(id: config.chainID, name: config.name, sources: resolved, assets: config.paymentAssets)
        cursor = try store.cursor(chainID: config.chainID)
        known = try store.knownAgents(chainID: config.chainID)
        watch = try store.paymentWatch(chainID: config.chainID)
        logger.info("prepared", metadata: ["chain": "\(config.name)", "chainId": "\(config.chainID)",
                                           "cursor": "\(cursor.map(String.init) ?? "none")", "agents": "\(known.count)"])
    }

    /// The last indexed block (nil before the first range).
    public var indexedBlock: UInt64? { cursor }

    /// Indexes every range up to head − confirmations. Returns true when caught up, false when
    /// `shouldStop` interrupted it.
    @discardableResult
    public func catchUp(shouldStop: () -> Bool = { false }) throws -> Bool {
        let head = try client.blockNumber()
        self.head = head
        guard head >= config.confirmations else {
            try store.recordHead(chainID: config.chainID, head: head, caughtUp: true)
            return true
        }
        let target = head - config.confirmations
        var next = cursor.map { $0 + 1 } ?? config.startBlock
        while next <= target {
            if shouldStop() { return false }
            let to = min(target, next + max(config.blockRange, 1) - 1)
            try indexRange(from: next, to: to, head: head, reachesTarget: to == target)
            next = to + 1
        }
        try store.recordHead(chainID: config.chainID, head: head, caughtUp: true)
        return true
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
                let pause = Duration.seconds(min(30, 1 << min(failures - 1, 5)))
                logger.error("indexing failed; retrying", metadata: ["error": "\(error)", "retryIn": "\(pause)"])
                sleep(pause, unless: shouldStop)
            }
        }
    }

    private func sleep(_ duration: Duration, unless shouldStop: () -> Bool) {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline, !shouldStop() {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Fetches, decodes and commits one range. Nothing in memory changes unless the commit does.
    func indexRange(from: UInt64, to: UInt64, head: UInt64, reachesTarget: Bool = false) throws {
        var plan = RangePlan(known: known)
        let sourceLogs = try fetchSourceLogs(from: from, to: to)
        for log in sourceLogs.sorted(by: { ($0.blockNumber, $0.logIndex) < ($1.blockNumber, $1.logIndex) }) {
            guard let source = sources[log.address], log.blockNumber >= source.startBlock else { continue }
            switch decoder.sourceEvent(log, kind: source.kind) {
            case .success(let event): plan.add(sourceEvent: event)
            case .failure(let skipped): skip(skipped)
            }
        }
        let agentLogs = try fetchAgentLogs(from: from, to: to, agents: Array(plan.known.keys))
        for log in agentLogs {
            guard let first = plan.known[log.address], log.blockNumber >= first else { continue }
            switch decoder.agentEvent(log) {
            case .success(let event): plan.add(agentEvent: event)
            case .failure(let skipped): skip(skipped)
            }
        }
        for registration in plan.needsCard {
            plan.add(cardRead: try readCard(of: registration))
        }
        let events = plan.orderedEvents
        var rangeWatch = watch
        rangeWatch.add(events, registryOnly: plan.needsCard.map(\.agent))
        let transfers = try fetchTransfers(from: from, to: to, watch: rangeWatch)
        let blocks = try fetchBlockStamps(to: to, events: events, transfers: transfers)
        try store.apply(RangeBatch(chainID: config.chainID, fromBlock: from, toBlock: to, events: events, transfers: transfers,
                                   blocks: blocks, headBlock: head, reachesTarget: reachesTarget))

        known = plan.known
        watch = rangeWatch
        cursor = to
        statistics.ranges += 1
        statistics.blocks += to - from + 1
        statistics.logs += sourceLogs.count + agentLogs.count + transfers.count
        statistics.events += events.count
        statistics.transfers += transfers.count
        statistics.headers += blocks.count
        logger.debug("range indexed", metadata: ["from": "\(from)", "to": "\(to)", "logs": "\(sourceLogs.count + agentLogs.count)",
                                                 "events": "\(events.count)", "transfers": "\(transfers.count)",
                                                 "agents": "\(known.count)"])
    }

    private func skip(_ skipped: LogDecoder.Skipped) {
        statistics.skippedLogs += 1
        logger.warning("log skipped", metadata: ["address": "\(skipped.log.address)", "block": "\(skipped.log.blockNumber)",
                                                 "logIndex": "\(skipped.log.logIndex)", "reason": "\(skipped.reason)"])
    }

    private func fetchSourceLogs(from: UInt64, to: UInt64) throws -> [Log] {
        let addresses = sources.values.filter { $0.startBlock <= to }.map(\.address).sorted { $0.lowercased < $1.lowercased }
        guard !addresses.isEmpty else { return [] }
        return try client.logs(LogFilter(fromBlock: from, toBlock: to, addresses: addresses,
                                         topics: [ContractEvents.sourceEvents.map(\.topic0)]))
    }

    private func fetchAgentLogs(from: UInt64, to: UInt64, agents: [EthereumAddress]) throws -> [Log] {
        guard !agents.isEmpty else { return [] }
        let topics: [[[UInt8]]?] = [ContractEvents.agentEvents.map(\.topic0)]
        let filters: [LogFilter]
        if agents.count > addressFilterLimit {
            filters = [LogFilter(fromBlock: from, toBlock: to, topics: topics)]
        } else {
            filters = Self.chunks(agents.sorted { $0.lowercased < $1.lowercased }, of: 250).map {
                LogFilter(fromBlock: from, toBlock: to, addresses: $0, topics: topics)
            }
        }
        return try client.logs(filters).flatMap { $0 }
    }

    /// Transfers of watched tokens to watched recipients, marked `authorized` when the same
    /// transaction holds the token's `AuthorizationUsed` by the sender (an x402 settlement).
    private func fetchTransfers(from: UInt64, to: UInt64, watch: PaymentWatch) throws -> [TokenTransfer] {
        guard !watch.tokens.isEmpty, !watch.recipients.isEmpty else { return [] }
        let tokens = watch.tokens.sorted { $0.lowercased < $1.lowercased }
        let tokenGroups = tokens.count > addressFilterLimit ? [[]] : Self.chunks(tokens, of: 250)
        var filters: [LogFilter] = []
        for recipients in Self.chunks(watch.recipients.sorted { $0.lowercased < $1.lowercased }, of: 250) {
            for group in tokenGroups {
                filters.append(LogFilter(fromBlock: from, toBlock: to, addresses: group,
                                         topics: [[ContractEvents.transfer.topic0], nil, recipients.map(\.word)]))
            }
        }
        var transfers: [TokenTransfer] = []
        for log in try client.logs(filters).flatMap({ $0 }) {
            switch decoder.tokenTransfer(log) {
            case .success(let transfer) where watch.tokens.contains(transfer.token) && watch.recipients.contains(transfer.to):
                transfers.append(transfer)
            case .success: break
            case .failure(let skipped): skip(skipped)
            }
        }
        transfers.sort { $0.provenance < $1.provenance }
        guard let first = transfers.first?.provenance.blockNumber, let last = transfers.last?.provenance.blockNumber else { return [] }

        let senders = Set(transfers.map(\.from)).sorted { $0.lowercased < $1.lowercased }
        let paidTokens = Set(transfers.map(\.token)).sorted { $0.lowercased < $1.lowercased }
        let authorizationFilters = Self.chunks(senders, of: 250).map {
            LogFilter(fromBlock: first, toBlock: last, addresses: paidTokens,
                      topics: [[ContractEvents.authorizationUsed.topic0], $0.map(\.word)])
        }
        var authorized = Set<[UInt8]>()
        for log in try client.logs(authorizationFilters).flatMap({ $0 }) {
            if let authorizer = decoder.authorizer(log) {
                authorized.insert(log.transactionHash + log.address.bytes + authorizer.bytes)
            }
        }
        for index in transfers.indices {
            let t = transfers[index]
            transfers[index].authorized = authorized.contains(t.provenance.transactionHash + t.token.bytes + t.from.bytes)
        }
        return transfers
    }

    /// Headers of the blocks holding payments, ratings or transfers, and of `to` (the clock of
    /// the range's reputations), in one batch. A log whose block hash differs from its header's
    /// was reorganised away while the range was read: the range is retried.
    private func fetchBlockStamps(to: UInt64, events: [ChainEvent], transfers: [TokenTransfer]) throws -> [BlockStamp] {
        var hashes: [UInt64: [UInt8]] = [:]
        for event in events {
            switch event.payload {
            case .paymentReceived, .rated: hashes[event.provenance.blockNumber] = event.provenance.blockHash
            default: break
            }
        }
        for transfer in transfers { hashes[transfer.provenance.blockNumber] = transfer.provenance.blockHash }
        let numbers = Set(hashes.keys).union([to]).sorted()
        return try client.blockHeaders(numbers).map { header in
            if let expected = hashes[header.number], expected != header.hash {
                throw RPCError.malformed("block \(header.number) changed while the range was read (reorg); retrying")
            }
            return BlockStamp(number: header.number, hash: header.hash, timestamp: header.timestamp)
        }
    }

    static func chunks<T>(_ items: [T], of size: Int) -> [[T]] {
        stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }

    /// Reads the card of an agent that enrolled in a registry, at the registration block; falls
    /// back to `latest` when the node lacks that state. A revert or garbage is recorded as an
    /// invalid card; transport failures throw (the range is retried).
    private func readCard(of registration: ChainEvent) throws -> ChainEvent {
        statistics.cardCalls += 1
        let block = registration.provenance.blockNumber
        var version = try cardVersion(callGetAgentCard(registration.agent, at: .number(block)), origin: .call)
        if version == nil {
            logger.notice("no historical state; reading the card at latest",
                          metadata: ["agent": "\(registration.agent)", "block": "\(block)"])
            version = try cardVersion(callGetAgentCard(registration.agent, at: .latest), origin: .callLatest)
        }
        guard let version else { throw RPCError.malformed("the node has no state for \(registration.agent) even at latest") }
        return ChainEvent(provenance: registration.provenance, emitter: registration.agent, agent: registration.agent,
                          payload: .card(version, owner: nil))
    }

    private func callGetAgentCard(_ agent: EthereumAddress, at block: BlockTag) -> Result<[UInt8], RPCError> {
        Result { () throws(RPCError) -> [UInt8] in
            try client.ethCall(to: agent, data: ContractEvents.getAgentCardSelector, block: block)
        }
    }

    /// The card version an `eth_call` answer gives; nil when the node lacks the state; throws
    /// on transport failures.
    private func cardVersion(_ answer: Result<[UInt8], RPCError>, origin: CardOrigin) throws -> CardVersion? {
        switch answer {
        case .success(let raw):
            return decoder.decodeCard(raw, origin: origin)
        case .failure(let error) where error.isExecutionFailure:
            return CardVersion(origin: origin, raw: [], outcome: .failure(CardRejection("getAgentCard() failed: \(error)")))
        case .failure(let error) where error.isMissingState:
            return nil
        case .failure(let error):
            throw error
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
