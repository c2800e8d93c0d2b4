import ChainRPC
import EthereumCore
import Store

extension ChainFollower {
    /// Fetches and decodes the range that starts at `from`, starting from the agents and payment
    /// watch `known` and `watch` (those of the range before), which it brings up to date in
    /// place; the read carries what it added (``RangeRead/newAgents``, ``RangeRead/watchAdded``).
    /// Changes nothing in the follower: see ``RangeRead``. If it throws, `known` and `watch` may
    /// hold part of the range's additions: the caller starts again from the follower's state.
    ///
    /// Each stream has its own range (``StreamSizers``); where this range ends and what each
    /// stream reads for it is ``sliceRange(from:limit:nearHead:known:watch:sizers:ahead:)``'s.
    /// The token stream, unless read ahead, is read over exactly this range once its contract
    /// events have revealed the payees they name.
    ///
    /// Near the head the headers of every block come first and must link to the stored parent
    /// (else ``ReorgDetected``); every log must then carry its block's hash, and a block whose
    /// bloom promises a followed log that did not come is asked again (``LogCompleteness``).
    func readRange(from: UInt64, limit: UInt64, head: UInt64, nearHead: Bool, target: UInt64,
                   known: inout [EthereumAddress: UInt64], watch: inout PaymentWatch, bloomBits: LogCompleteness.BitCache,
                   sizers: StreamSizers, ahead: inout StreamsAhead) throws -> RangeRead {
        let slices = try sliceRange(from: from, limit: limit, nearHead: nearHead, known: known, watch: watch, sizers: sizers, ahead: &ahead)
        let (to, contract) = (slices.to, slices.contract)
        var read = RangeRead(from: from, to: to, head: head, nearHead: nearHead, reachesTarget: to == target,
                             bloomBits: bloomBits, sizers: slices.sizers, ahead: slices.ahead)
        read.tally.logs += contract.count
        read.bytes = contract.bytes
        let headers = nearHead ? try linkedHeaders(from: from, to: to) : []
        // The plan grows the caller's agents in place (not a copy of them), and hands them back.
        var plan = RangePlan(known: known)
        known = [:]
        defer { known = plan.takeKnown() }
        let (sourceLogs, agentLogsFetched, registryLogs) = (contract.sources, contract.agents, contract.registries)
        read.erc8004Events = decodeERC8004(registryLogs, tally: &read.tally)
        for log in sourceLogs {
            guard let source = sources[log.address], log.blockNumber >= source.startBlock else { continue }
            switch decoder.sourceEvent(log, kind: source.kind) {
            case .success(let event): plan.add(sourceEvent: event)
            case .failure(let skipped): skip(skipped, tally: &read.tally)
            }
        }
        let agentLogs = agentLogsFetched
        for log in agentLogs {
            guard let first = plan.known[log.address], log.blockNumber >= first else { continue }
            switch decoder.agentEvent(log) {
            case .success(let event): plan.add(agentEvent: event)
            case .failure(let skipped): skip(skipped, tally: &read.tally)
            }
        }
        if nearHead {
            let completeness = LogCompleteness(sources: Array(sources.keys) + Array(erc8004Registries.keys), agents: plan.known,
                                               topics: (ContractEvents.sourceEvents + ContractEvents.agentEvents + ERC8004Events.all).map(\.topic0))
            try completeness.verify(headers: headers, logs: sourceLogs + agentLogs + registryLogs, client: client, bits: &read.bloomBits) {
                read.tally.laggingAnswers += 1
                self.reportLag($0)
            }
        }
        // What the logs say about their blocks; the logs themselves (card bytes in hex) are not
        // needed past this point, and are freed while the cards are read and the transfers fetched.
        let logBlocks = (sourceLogs + agentLogs + registryLogs).map { (number: $0.blockNumber, hash: $0.blockHash) }
        let logTimes = Self.blockTimes(of: sourceLogs + agentLogs + registryLogs)
        for registration in plan.needsCard {
            let card = try readCard(of: registration, tally: &read.tally)
            if case .card(let version, _) = card.payload, case .failure = version.outcome { read.tally.invalidCards += 1 }
            plan.add(cardRead: card)
        }
        read.events = plan.takeOrderedEvents()
        read.newAgents = plan.added
        read.watchAdded.add(read.events, registryOnly: plan.needsCard.map(\.agent))
        read.watchAdded.add(read.erc8004Events)
        watch.formUnion(read.watchAdded)
        var tokenTally = RangeTally()
        let (transfers, transferTimes): ([TokenTransfer], [UInt64: BlockStamp])
        do {
            if let logs = slices.tokenLogs, slices.tokens == watch.tokens {
                tokenTally.logs += logs.count
                (transfers, transferTimes) = try StreamFailure.of(.token, span: to - from + 1) {
                    try self.transfers(in: logs, watch: watch, byTopicOnly: true, tally: &tokenTally)
                }
            } else {
                // Read for this range (or read ahead for other tokens than the range's events name).
                read.ahead.token = TokenLogsAhead(from: to + 1)
                (transfers, transferTimes) = try StreamFailure.of(.token, span: to - from + 1) {
                    try fetchTransfers(from: from, to: to, watch: watch, tally: &tokenTally)
                }
                read.sizers.token.succeeded(largestAnswer: tokenTally.largestAnswer, span: to - from + 1)
            }
        } catch let failure as StreamFailure {
            throw failure.with(sizers: slices.sizers, ahead: slices.whole)
        }
        read.tally.add(tokenTally)
        let stamped = try blockStamps(to: to, events: read.events, erc8004Events: read.erc8004Events, transfers: transfers,
                                      headers: headers, logTimes: logTimes.merging(transferTimes) { a, _ in a })
        try Self.checkHashes(logBlocks: logBlocks, transfers: transfers, against: stamped.known)
        for event in read.events {
            if case .card(let version, _) = event.payload, version.origin == .log, case .failure = version.outcome {
                read.tally.invalidCards += 1
            }
        }
        read.transfers = transfers
        read.stamps = stamped.stamps
        read.links = stamped.links
        read.tally.headers = nearHead ? headers.count : stamped.stamps.count
        return read
    }

    /// Commits ranges read by ``readRange(from:limit:head:nearHead:target:known:watch:bloomBits:sizers:ahead:)``,
    /// consecutive and in order, in one transaction — as one range from the first's start to the
    /// last's end (what a range holds does not depend on where ranges are cut) — then moves the
    /// follower past them. Nothing in memory changes unless the commit does.
    ///
    /// `bulk`: the follower is in a long backfill; ranges far from the head then commit as bulk
    /// batches (``RangeBatch/bulk``).
    ///
    /// The reads' events and transfers move into the batch (each read's are freed as they are
    /// added), so a batch's rows are held once while it commits.
    func commit(_ reads: consuming [RangeRead], bulk: Bool = false) throws {
        guard let first = reads.first, let last = reads.last else { return }
        let bulk = bulk && !last.nearHead && !last.reachesTarget
        let counts = reads.map { (events: $0.events.count + $0.erc8004Events.count, transfers: $0.transfers.count) }
        var batch = RangeBatch(chainID: config.chainID, fromBlock: first.from, toBlock: last.to, events: [], transfers: [],
                               blocks: reads.flatMap(\.stamps), headBlock: last.head, reachesTarget: last.reachesTarget,
                               links: reads.flatMap(\.links), finalizedBlock: finalized, erc8004Events: [], bulk: bulk)
        for index in reads.indices {
            batch.events.appendMoving(&reads[index].events)
            batch.transfers.appendMoving(&reads[index].transfers)
            batch.erc8004Events.appendMoving(&reads[index].erc8004Events)
        }
        try store.apply(batch)
        for index in reads.indices {
            known.merge(reads[index].newAgents) { first, _ in first }
            watch.formUnion(reads[index].watchAdded)
        }
        bloomBits = last.bloomBits
        streamsAhead = last.ahead
        cursor = last.to
        for (read, count) in zip(reads, counts) {
            let tally = read.tally
            statistics.ranges += 1
            statistics.blocks += read.to - read.from + 1
            statistics.logs += tally.logs
            statistics.events += count.events
            statistics.transfers += count.transfers
            statistics.headers += tally.headers
            statistics.invalidCards += tally.invalidCards
            statistics.skippedLogs += tally.skippedLogs
            statistics.cardCalls += tally.cardCalls
            statistics.laggingAnswers += tally.laggingAnswers
            metrics.range(logs: tally.logs, events: count.events, invalidCards: tally.invalidCards)
        }
        #if canImport(Glibc)
        // The ranges' cards and logs were freed in large blocks; give the pages back to the system
        // (glibc keeps them in each thread's arena otherwise: ≈ 100 MB at 100k agents).
        _ = glibcMallocTrim(0)
        #endif
        let (blocks, logs) = (reads.reduce(0) { $0 + $1.to - $1.from + 1 }, reads.reduce(0) { $0 + $1.tally.logs })
        updateProgress { $0.indexedBlock = last.to; $0.blocks += blocks; $0.logs += logs }
        logger.debug("ranges indexed", metadata: ["from": "\(first.from)", "to": "\(last.to)", "ranges": "\(reads.count)",
                                                  "logs": "\(logs)", "events": "\(reads.reduce(0) { $0 + $1.events.count })",
                                                  "transfers": "\(reads.reduce(0) { $0 + $1.transfers.count })",
                                                  "agents": "\(known.count)", "nearHead": "\(last.nearHead)",
                                                  "bulk": "\(bulk)"])
    }

    /// Logs a log that could not be decoded (it is skipped, with its reason).
    func skip(_ skipped: LogDecoder.Skipped, tally: inout RangeTally) {
        tally.skippedLogs += 1
        logger.warning("log skipped", metadata: ["address": "\(skipped.log.address)", "block": "\(skipped.log.blockNumber)",
                                                 "logIndex": "\(skipped.log.logIndex)", "reason": "\(skipped.reason)"])
    }

    /// Counts and logs an answer that lags behind the node's own headers.
    func laggingAnswer(_ reason: String) {
        statistics.laggingAnswers += 1
        reportLag(reason)
    }

    /// Logs a lagging answer and counts it in ``metrics`` (a range's read counts it in its tally).
    func reportLag(_ reason: String) {
        metrics.laggingNode()
        logger.warning("the node's answer lags; asking again", metadata: ["reason": "\(reason)"])
    }

    /// `eth_getLogs` of `filters`, noting in `tally` the logs read and the largest answer (it
    /// sizes the next range); the logs `sieve` drops are counted, not kept.
    func logs(_ filters: [LogFilter], sieve: LogSieve? = nil, tally: inout RangeTally) throws -> [Log] {
        try answers(filters, sieve: sieve, tally: &tally).flatMap { $0 }
    }

    /// ``logs(_:sieve:tally:)``, one list per filter.
    func answers(_ filters: [LogFilter], sieve: LogSieve? = nil, tally: inout RangeTally) throws -> [[Log]] {
        let answers = try client.logs(filters, sieve: sieve)
        tally.largestAnswer = max(tally.largestAnswer, answers.map(\.read).max() ?? 0)
        tally.logs += answers.reduce(0) { $0 + $1.read }
        return answers.map(\.logs)
    }

    /// The contract stream's logs of `from...to`, each list in chain order, and the largest
    /// answer (it sizes the stream's next range). In one call: the sources' logs — and, once
    /// agents are too many for an address list, every agent event by topic — and the ERC-8004
    /// registries' logs (by address: their `Transfer` shares ERC-20's topic). Below the limit
    /// the agents' logs follow by address: the known ones and those the sources reveal here.
    func fetchContractLogs(from: UInt64, to: UInt64, known: [EthereumAddress: UInt64]) throws -> (logs: ContractLogs, largest: Int) {
        var tally = RangeTally()
        let addresses = sources.values.filter { $0.startBlock <= to }.map(\.address).sorted { $0.lowercased < $1.lowercased }
        let registries = erc8004Registries.values.filter { $0.startBlock <= to }.map(\.address).sorted { $0.lowercased < $1.lowercased }
        let sourceTopics = ContractEvents.sourceEvents.map(\.topic0)
        let byTopic = known.count > addressFilterLimit
        var filters: [LogFilter] = []
        if byTopic {
            filters.append(LogFilter(fromBlock: from, toBlock: to, topics: [sourceTopics + ContractEvents.agentEvents.map(\.topic0)]))
        } else if !addresses.isEmpty {
            filters.append(LogFilter(fromBlock: from, toBlock: to, addresses: addresses, topics: [sourceTopics]))
        }
        if !registries.isEmpty {
            filters.append(LogFilter(fromBlock: from, toBlock: to, addresses: registries, topics: [ERC8004Events.all.map(\.topic0)]))
        }
        guard !filters.isEmpty else { return (ContractLogs(), 0) }
        let answers = try answers(filters, tally: &tally)
        var logs = ContractLogs()
        logs.registries = registries.isEmpty ? [] : answers[answers.count - 1]
        let inOrder: (Log, Log) -> Bool = { ($0.blockNumber, $0.logIndex) < ($1.blockNumber, $1.logIndex) }
        let contractLogs = (filters.count > (registries.isEmpty ? 0 : 1) ? answers[0] : []).sorted(by: inOrder)
        if byTopic {
            let sourceTopicSet = Set(sourceTopics.compactMap(TopicWord.init))
            for log in contractLogs {
                if sources[log.address] != nil, log.topics.first.map(sourceTopicSet.contains) == true {
                    logs.sources.append(log)
                } else {
                    logs.agents.append(log)
                }
            }
        } else {
            logs.sources = contractLogs
            // The agents the sources reveal in these blocks are followed from here too (their
            // logs before their first block are dropped when the range is decoded).
            var plan = RangePlan(known: known)
            for log in contractLogs {
                guard let source = sources[log.address], log.blockNumber >= source.startBlock,
                      case .success(let event) = decoder.sourceEvent(log, kind: source.kind) else { continue }
                plan.add(sourceEvent: event)
            }
            logs.agents = try fetchAgentLogs(from: from, to: to, agents: Array(plan.known.keys), tally: &tally)
        }
        logs.agents.sort(by: inOrder)
        logs.registries.sort(by: inOrder)
        return (logs, tally.largestAnswer)
    }

    /// The ERC-8004 registries' logs (in chain order) as events; a log below its registry's start
    /// block is left out, one that does not decode is skipped with its reason.
    private func decodeERC8004(_ logs: [Log], tally: inout RangeTally) -> [ERC8004Event] {
        guard let identity = config.erc8004Registry(.identity)?.address else { return [] }
        var events: [ERC8004Event] = []
        for log in logs {
            guard let registry = erc8004Registries[log.address], log.blockNumber >= registry.startBlock else { continue }
            switch erc8004Decoder.event(log, registry: registry.kind, identity: identity) {
            case .success(let event):
                if event.registrationVersion?.document.status == .invalid { tally.invalidCards += 1 }
                events.append(event)
            case .failure(let skipped):
                skip(skipped, tally: &tally)
            }
        }
        return events
    }

    private func fetchAgentLogs(from: UInt64, to: UInt64, agents: [EthereumAddress], tally: inout RangeTally) throws -> [Log] {
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
        return try logs(filters, tally: &tally)
    }

    /// The timestamps logs carry (``Log/blockTimestamp``), by block.
    static func blockTimes(of logs: [Log]) -> [UInt64: BlockStamp] {
        var times: [UInt64: BlockStamp] = [:]
        for log in logs {
            if let time = log.blockTimestamp, times[log.blockNumber] == nil {
                times[log.blockNumber] = BlockStamp(number: log.blockNumber, hash: log.blockHash, timestamp: time)
            }
        }
        return times
    }

    /// Transfers of watched tokens to watched recipients, marked `authorized` when the same
    /// transaction holds the token's `AuthorizationUsed` by the sender (an x402 settlement);
    /// with the block times their logs carried. A mint (from the zero address) is no payment.
    ///
    /// Recipients go in the filter (topic 2) up to `addressFilterLimit`; above it the filter names
    /// only the tokens and recipients are matched here, as agent logs are.
    func fetchTransfers(from: UInt64, to: UInt64, watch: PaymentWatch, tally: inout RangeTally) throws
        -> (transfers: [TokenTransfer], times: [UInt64: BlockStamp]) {
        guard !watch.tokens.isEmpty, watch.recipientCount > 0 else { return ([], [:]) }
        let (filters, byTopicOnly) = tokenFilters(from: from, to: to, watch: watch)
        // A busy token's transfers to nobody followed are dropped as the answer is read.
        let sieve = byTopicOnly ? LogSieve(topic0: ContractEvents.transfer.topic0, recipients: watch.recipientWords) : nil
        return try transfers(in: logs(filters, sieve: sieve, tally: &tally), watch: watch, byTopicOnly: byTopicOnly, tally: &tally)
    }

    /// The token stream's filters over `from...to` for `watch`; `byTopicOnly` when recipients
    /// are too many to name, so they are matched here (and `AuthorizationUsed` comes along).
    func tokenFilters(from: UInt64, to: UInt64, watch: PaymentWatch) -> (filters: [LogFilter], byTopicOnly: Bool) {
        let tokens = watch.tokens.sorted { $0.lowercased < $1.lowercased }
        let tokenGroups = tokens.count > addressFilterLimit ? [[]] : Self.chunks(tokens, of: 250)
        let recipientGroups: [[EthereumAddress]?] = watch.recipientCount > addressFilterLimit
            ? [nil] : Self.chunks(watch.recipients, of: 250)
        // Recipients by topic: the token's `AuthorizationUsed` logs come in the same answer.
        let byTopicOnly = recipientGroups == [nil]
        let eventTopics = [ContractEvents.transfer.topic0] + (byTopicOnly ? [ContractEvents.authorizationUsed.topic0] : [])
        var filters: [LogFilter] = []
        for recipients in recipientGroups {
            for group in tokenGroups {
                filters.append(LogFilter(fromBlock: from, toBlock: to, addresses: group,
                                         topics: [eventTopics, nil, recipients.map { $0.map(\.word) }]))
            }
        }
        return (filters, byTopicOnly)
    }

    /// The payments among a range's token logs: transfers of watched tokens to watched
    /// recipients, each marked `authorized` when its transaction holds the token's
    /// `AuthorizationUsed` by the sender (in `tokenLogs` when `byTopicOnly`, else asked for).
    func transfers(in tokenLogs: [Log], watch: PaymentWatch, byTopicOnly: Bool, tally: inout RangeTally) throws
        -> (transfers: [TokenTransfer], times: [UInt64: BlockStamp]) {
        let times = Self.blockTimes(of: tokenLogs)
        var transfers: [TokenTransfer] = []
        var authorizationLogs: [Log] = []
        let authorizationTopic = ContractEvents.authorizationUsed.topic0Word
        for log in tokenLogs {
            if log.topics.first == authorizationTopic {
                authorizationLogs.append(log)
                continue
            }
            // Most transfers of a busy token go to nobody followed: dropped on their recipient
            // topic before anything is decoded (a malformed log still goes through the decoder).
            if log.topics.count == 3, log.topics[2].isAddress, !watch.recipientWords.contains(log.topics[2]) {
                continue
            }
            switch decoder.tokenTransfer(log) {
            case .success(let transfer) where transfer.from == .zero:
                continue   // a mint: nobody paid
            case .success(let transfer) where watch.tokens.contains(transfer.token) && watch.watches(recipient: transfer.to):
                transfers.append(transfer)
            case .success: break
            case .failure(let skipped): skip(skipped, tally: &tally)
            }
        }
        transfers.sort { $0.provenance < $1.provenance }
        guard let first = transfers.first?.provenance.blockNumber, let last = transfers.last?.provenance.blockNumber else {
            return ([], times)
        }

        let senders = Set(transfers.map(\.from)).sorted { $0.lowercased < $1.lowercased }
        let paidTokens = Set(transfers.map(\.token)).sorted { $0.lowercased < $1.lowercased }
        if !byTopicOnly {
            let senderGroups: [[EthereumAddress]?] = senders.count > addressFilterLimit ? [nil] : Self.chunks(senders, of: 250)
            authorizationLogs = try logs(senderGroups.map {
                LogFilter(fromBlock: first, toBlock: last, addresses: paidTokens,
                          topics: [[ContractEvents.authorizationUsed.topic0], $0.map { $0.map(\.word) }])
            }, tally: &tally)
        }
        var authorized = Set<Authorization>()
        for log in authorizationLogs {
            if let authorizer = decoder.authorizer(log) {
                authorized.insert(Authorization(transaction: log.transactionWord, token: log.address, authorizer: authorizer))
            }
        }
        for index in transfers.indices {
            let t = transfers[index]
            transfers[index].authorized = authorized.contains(Authorization(transaction: t.provenance.transactionWord,
                                                                            token: t.token, authorizer: t.from))
        }
        return (transfers, times)
    }

    /// The headers a range stores: those of blocks holding payments, ratings, feedback or transfers,
    /// and of `to` (the clock of the range's reputations, the link the next range starts from).
    /// Near the head they are all in `headers` already; far from it they come in one batch,
    /// except the blocks whose logs carried their timestamp (`logTimes`).
    private func blockStamps(to: UInt64, events: [ChainEvent], erc8004Events: [ERC8004Event], transfers: [TokenTransfer],
                             headers: [BlockHeader], logTimes: [UInt64: BlockStamp])
        throws -> (stamps: [BlockStamp], links: [BlockLink], known: [UInt64: [UInt8]]) {
        var wanted = Set([to])
        for event in events {
            switch event.payload {
            case .paymentReceived, .rated: wanted.insert(event.provenance.blockNumber)
            default: break
            }
        }
        for event in erc8004Events {
            if case .feedback = event.payload { wanted.insert(event.provenance.blockNumber) }
        }
        for transfer in transfers { wanted.insert(transfer.provenance.blockNumber) }
        let fromLogs = headers.isEmpty ? wanted.filter { $0 != to }.compactMap { logTimes[$0] } : []
        let stampedByLogs = Set(fromLogs.map(\.number))
        let fetched = headers.isEmpty ? try client.blockHeaders(wanted.subtracting(stampedByLogs).sorted()) : headers
        let stamps = fetched.filter { wanted.contains($0.number) }
            .map { BlockStamp(number: $0.number, hash: $0.hash, timestamp: $0.timestamp) } + fromLogs
        let links = (headers.isEmpty ? fetched.filter { $0.number == to } : headers)
            .map { BlockLink(number: $0.number, hash: $0.hash, parentHash: $0.parentHash) }
        return (stamps, links, Dictionary(fetched.map { ($0.number, $0.hash) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Every log must carry the hash the node gave for its block, and logs of one block one
    /// hash: otherwise the chain changed while the range was read, and the range is read again.
    static func checkHashes(logBlocks: [(number: UInt64, hash: [UInt8])], transfers: [TokenTransfer],
                            against known: [UInt64: [UInt8]]) throws {
        var seen = known
        let stamps = logBlocks + transfers.map { (number: $0.provenance.blockNumber, hash: $0.provenance.blockHash) }
        for (number, hash) in stamps {
            if let expected = seen[number] {
                guard expected == hash else {
                    throw RPCError.malformed("block \(number) changed while the range was read (reorg); reading it again")
                }
            } else {
                seen[number] = hash
            }
        }
    }

    static func chunks<T>(_ items: [T], of size: Int) -> [[T]] {
        stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }

    /// Reads the card of an agent that enrolled in a registry, at the registration block; falls
    /// back to `latest` when the node lacks that state. A revert, garbage or an account with no
    /// code is recorded as an invalid card; transport failures throw (the range is retried).
    private func readCard(of registration: ChainEvent, tally: inout RangeTally) throws -> ChainEvent {
        tally.cardCalls += 1
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
        case .success(let raw) where raw.isEmpty:
            return CardVersion(origin: origin, raw: [], outcome: .failure(CardRejection("getAgentCard() returned nothing (no contract code at the address?)")))
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
}

#if canImport(Glibc)
/// glibc's `malloc_trim` (declared in `malloc.h`, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif

/// An EIP-3009 `AuthorizationUsed`: who authorized a move of which token, in which transaction.
private struct Authorization: Hashable {
    var transaction: TopicWord
    var token: EthereumAddress
    var authorizer: EthereumAddress
}

extension Array {
    /// Appends `other`'s elements and leaves it empty; an empty array takes `other`'s storage
    /// instead of copying it.
    mutating func appendMoving(_ other: inout [Element]) {
        if isEmpty { swap(&self, &other) } else { append(contentsOf: other) }
        other = []
    }
}
