import EthereumCore
import GRDB
import Reputation

/// Writes payments and ratings inside ``AgentStore/apply(_:)``'s transaction and decides which
/// payments count (``PaymentRules``).
///
/// Every decision looks only at rows at or before the payment's position (the owner then, the
/// card terms then), so it is the same whatever the block ranges were, and stays true after
/// later blocks arrive.
///
/// One ledger serves one batch: the payments it records wait in memory and are classified and
/// inserted by ``flush(assets:)`` in one pass, and each agent's history is read once
/// (``AgentTimeline``) instead of once per payment. A transfer that backs an agent's `pay()`
/// shares its transaction, hence its block, hence its batch: the payment it backs is always
/// among the waiting ones.
///
/// Histories read for one batch are handed to the next (``carried``, ``HistoryCache``): an agent's
/// timeline stays true until it gets an event, and the ledger forgets it then.
final class PaymentLedger {
    let db: Database
    let chainID: UInt64
    private var chain: Int64 { Int64(chainID) }

    /// The terms an agent's card named at `position`: the card version current then.
    struct Terms: Sendable {
        var payTo: Set<String> = []
        var assets: Set<String> = []
    }

    /// Agents' timelines and who names each `payTo`, as read by this batch or carried from earlier ones.
    private var history: HistoryCache.Carried
    private var waiting: [WaitingPayment] = []
    private var waitingIndex: [WaitingPayment.Key: Int] = [:]
    private var waitingByTransaction: [TopicWord: [Int]] = [:]

    /// Whether ``flush(assets:)`` appends to `payment_staging` (a bulk batch, ``PaymentStaging``) rather than `payment`.
    private let staged: Bool

    /// A ledger for one batch, starting from the histories an earlier batch read (`carried`, true
    /// as of the last commit); a bulk batch's payments are `staged`.
    init(db: Database, chainID: UInt64, carried: HistoryCache.Carried = HistoryCache.Carried(), staged: Bool = false) {
        self.db = db
        self.chainID = chainID
        history = carried
        history.batch += 1
        self.staged = staged
    }

    /// The histories as they stand at this batch's end, without those no recent batch asked about:
    /// for the next batch, once this one has committed.
    var carried: HistoryCache.Carried {
        var carried = history
        carried.forgetUnused()
        return carried
    }

    // MARK: Recording

    /// Forgets what was read about `agent`: it just got an event that may change its history.
    func forget(agent: String) {
        history.timelines[agent] = nil
    }

    /// Stores a `PaymentReceived`: trusted as an agent log when a followed factory made the agent.
    func recordPaymentReceived(_ event: ChainEvent, payer: EthereumAddress, asset: EthereumAddress, amount: UInt256) throws {
        let agent = event.agent.lowercased
        let factoryMade = try timeline(agent).factoryMade
        wait(WaitingPayment(agent: agent, provenance: event.provenance, kind: asset == .zero ? "native" : "pay",
                            payer: payer, asset: asset, amount: amount, recipient: event.agent,
                            evidence: factoryMade ? .factoryAgentLog : .agentLogOnly, claimants: 1))
    }

    /// Stores a `Rated` log.
    func recordRating(_ event: ChainEvent, rater: EthereumAddress, score: UInt8, comment: String) throws {
        let p = event.provenance
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO rating (chain_id, agent, block_number, log_index, block_hash, tx_hash, rater, score, comment)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [chain, event.agent.lowercased, Int64(p.blockNumber), Int64(p.logIndex),
                                     p.blockWord.hex, p.transactionWord.hex, rater.lowercased,
                                     Int64(score), comment])
    }

    /// Stores the payment terms of a valid card version.
    func recordTerms(agent: EthereumAddress, provenance p: Provenance, payTo: [(EthereumAddress, EthereumAddress)]) throws {
        try db.cachedStatement(sql: "DELETE FROM card_term WHERE chain_id = ? AND agent = ? AND block_number = ? AND log_index = ?")
            .execute(arguments: [chain, agent.lowercased, Int64(p.blockNumber), Int64(p.logIndex)])
        for (payTo, asset) in payTo {
            try db.cachedStatement(sql: """
                INSERT INTO card_term (chain_id, agent, block_number, log_index, pay_to, asset) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [chain, agent.lowercased, Int64(p.blockNumber), Int64(p.logIndex),
                                         payTo.lowercased, asset.lowercased])
            history.termsNaming[payTo.lowercased] = nil
        }
        forget(agent: agent.lowercased)
    }

    /// Notes that an ERC-8004 agent's wallet changed (to `wallet`, nil when cleared): its timeline
    /// and the list of agents that name the new wallet are read again.
    func walletChanged(agent: String, wallet: String?) {
        forget(agent: agent)
        if let wallet { history.termsNaming[wallet] = nil }
    }

    /// Attributes a token transfer to the agents it paid, and returns them.
    ///
    /// - To an agent contract: a payment to that agent; when the same transaction holds the
    ///   agent's matching `PaymentReceived` (payer, token, amount), that row is the one payment and
    ///   the transfer only backs it.
    /// - To a `payTo` named by the terms current at the transfer, or to an ERC-8004 agent's wallet
    ///   current at it: a payment to each such agent, with the number of claimants recorded (more
    ///   than one is not counted: `shared-payto`).
    /// The token must be configured or named as an asset by the agent's card.
    func recordTransfer(_ transfer: TokenTransfer, listedTokens: Set<String>) throws -> [String] {
        let p = transfer.provenance
        let position = ChainPosition(block: p.blockNumber, logIndex: p.logIndex)
        let token = transfer.token.lowercased
        let to = transfer.to.lowercased
        let kind = transfer.authorized ? "x402" : "transfer"
        var paid: [String] = []

        let recipient = try timeline(to)
        if let discovered = recipient.discoveredBlock, discovered <= position.block {
            let terms = recipient.terms(at: position)
            if listedTokens.contains(token) || terms.assets.contains(token) {
                if !backWaitingPayment(agent: to, transfer) {
                    wait(WaitingPayment(agent: to, provenance: p, kind: kind, payer: transfer.from, asset: transfer.token,
                                        amount: transfer.value, recipient: transfer.to, evidence: .tokenLog, claimants: 1))
                }
                paid.append(to)
            }
        }

        var claimants: [String] = []
        for agent in try agentsNaming(payTo: to, atOrBefore: position) where agent != to {
            let terms = try timeline(agent).terms(at: position)
            if terms.payTo.contains(to), listedTokens.contains(token) || terms.assets.contains(token) {
                claimants.append(agent)
            }
        }
        for agent in claimants {
            wait(WaitingPayment(agent: agent, provenance: p, kind: kind, payer: transfer.from, asset: transfer.token,
                                amount: transfer.value, recipient: transfer.to, evidence: .tokenLog, claimants: claimants.count))
            paid.append(agent)
        }
        return paid
    }

    /// Classifies the waiting payments and inserts them (staged ones in chain order); call once after the batch's events and
    /// transfers are recorded (so every decision sees the whole history up to its position).
    func flush(assets: PaymentAssets) throws {
        var staging = staged ? StagedPaymentWriter(db: db, chainID: chainID) : nil
        for payment in waiting {
            let reason = try exclusion(agent: payment.agent, position: payment.position, payer: payment.payer,
                                       asset: payment.asset, amount: payment.amount, evidence: payment.evidence,
                                       claimants: payment.claimants, assets: assets)
            let p = payment.provenance
            if staging != nil {
                try staging?.append(payment, reason: reason)
                continue
            }
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO payment (\(PaymentStaging.columns))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [chain, payment.agent, Int64(p.blockNumber), Int64(p.logIndex), p.blockWord.hex,
                                         p.transactionWord.hex, payment.kind, payment.payer.lowercased, payment.asset.lowercased,
                                         payment.amount.description, payment.recipient.lowercased, payment.evidence.rawValue,
                                         payment.claimants, reason == nil, reason?.rawValue])
        }
        try staging?.finish()
        waiting = []
        waitingIndex = [:]
        waitingByTransaction = [:]
    }

    // MARK: Classification

    /// Decides `counted` and `reason` again for every stored payment (the payment assets changed).
    func classifyStored(assets: PaymentAssets) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT agent, block_number, log_index, payer, asset, amount, evidence, claimants FROM payment WHERE chain_id = ?
            """, arguments: [chain])
        var decisions: [(agent: String, block: Int64, logIndex: Int64, reason: PaymentExclusion?)] = []
        while let row = try rows.next() {
            let position = ChainPosition(block: UInt64(row[1] as Int64), logIndex: UInt64(row[2] as Int64))
            guard let amount = UInt256(decimal: row[5] as String) else { continue }
            // A stored payer or asset that is not an address cannot be a listed asset's payment.
            guard let payer = try? EthereumAddress(row[3] as String), let asset = try? EthereumAddress(row[4] as String) else {
                decisions.append((row[0], row[1], row[2], .unlistedAsset))
                continue
            }
            let reason = try exclusion(agent: row[0], position: position, payer: payer, asset: asset, amount: amount,
                                       evidence: PaymentEvidence(rawValue: row[6]) ?? .agentLogOnly, claimants: row[7],
                                       assets: assets)
            decisions.append((row[0], row[1], row[2], reason))
        }
        for d in decisions {
            try db.cachedStatement(sql: """
                UPDATE payment SET counted = ?, reason = ? WHERE chain_id = ? AND agent = ? AND block_number = ? AND log_index = ?
                """).execute(arguments: [d.reason == nil, d.reason?.rawValue, chain, d.agent, d.block, d.logIndex])
        }
    }

    private func exclusion(agent: String, position: ChainPosition, payer payerAddress: EthereumAddress, asset assetAddress: EthereumAddress,
                           amount: UInt256, evidence: PaymentEvidence, claimants: Int, assets: PaymentAssets) throws -> PaymentExclusion? {
        let timeline = try timeline(agent)
        let facts = PaymentFacts(
            payer: payerAddress, asset: assetAddress, amount: amount, agent: try? EthereumAddress(agent),   // nil: an ERC-8004 agent
            owner: timeline.owner(at: position).flatMap { try? EthereumAddress($0) },
            payTo: Set(timeline.terms(at: position).payTo.compactMap { try? EthereumAddress($0) }),
            assetIsListed: assets.isListed(assetAddress), dustThreshold: assets.dust[assetAddress],
            evidence: evidence, recipientClaimants: claimants)
        return PaymentRules.exclusion(facts)
    }

    // MARK: Reading history

    private func timeline(_ agent: String) throws -> AgentTimeline {
        history.markUsed(agent)
        if let known = history.timelines[agent] { return known }
        let loaded = try AgentTimeline.load(chain: chain, agent: agent, in: db)
        history.timelines[agent] = loaded
        return loaded
    }

    /// The agents (sorted) whose terms named `payTo`, or whose wallet was `payTo`, at or before `position`.
    private func agentsNaming(payTo: String, atOrBefore position: ChainPosition) throws -> [String] {
        history.markUsed(payTo)
        if history.termsNaming[payTo] == nil {
            var rows: [HistoryCache.TermsNaming] = []
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT agent, block_number, log_index FROM card_term WHERE chain_id = ?1 AND pay_to = ?2
                UNION ALL SELECT agent, block_number, log_index FROM agent_wallet WHERE chain_id = ?1 AND wallet = ?2
                """), arguments: [chain, payTo])
            while let row = try cursor.next() {
                rows.append(HistoryCache.TermsNaming(agent: row[0], at: ChainPosition(block: UInt64(row[1] as Int64),
                                                                                      logIndex: UInt64(row[2] as Int64))))
            }
            history.termsNaming[payTo] = rows
        }
        return Set(history.termsNaming[payTo, default: []].filter { $0.at <= position }.map(\.agent)).sorted()
    }

    // MARK: Waiting payments

    private func wait(_ payment: WaitingPayment) {
        let key = payment.key
        if let index = waitingIndex[key] {
            waiting[index] = payment
        } else {
            waitingIndex[key] = waiting.count
            waitingByTransaction[payment.provenance.transactionWord, default: []].append(waiting.count)
            waiting.append(payment)
        }
    }

    /// Marks the agent's waiting `pay()` payment in the same transaction (same payer, token and
    /// amount, lowest log index) as backed by `transfer`; false when there is none.
    private func backWaitingPayment(agent: String, _ transfer: TokenTransfer) -> Bool {
        let candidates = waitingByTransaction[transfer.provenance.transactionWord, default: []].filter {
            let w = waiting[$0]
            return w.agent == agent && w.kind == "pay" && w.payer == transfer.from
                && w.asset == transfer.token && w.amount == transfer.value && w.evidence != .tokenLog
        }
        guard let index = candidates.min(by: { waiting[$0].provenance.logIndex < waiting[$1].provenance.logIndex }) else {
            return false
        }
        waiting[index].evidence = .tokenLog
        return true
    }
}

/// A payment recorded in this batch, inserted by ``PaymentLedger/flush(assets:)`` (or staged:
/// ``StagedPaymentWriter``).
struct WaitingPayment {
    struct Key: Hashable {
        var agent: String
        var block: UInt64
        var logIndex: UInt64
    }

    var agent: String
    var provenance: Provenance
    var kind: String
    var payer: EthereumAddress
    var asset: EthereumAddress
    var amount: UInt256
    var recipient: EthereumAddress
    var evidence: PaymentEvidence
    var claimants: Int

    var key: Key { Key(agent: agent, block: provenance.blockNumber, logIndex: provenance.logIndex) }
    var position: ChainPosition { ChainPosition(block: provenance.blockNumber, logIndex: provenance.logIndex) }
}
