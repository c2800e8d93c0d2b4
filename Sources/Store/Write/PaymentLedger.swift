import EthereumCore
import GRDB
import Reputation

/// Writes payments and ratings inside ``AgentStore/apply(_:)``'s transaction and decides which
/// payments count (``PaymentRules``).
///
/// Every decision looks only at rows at or before the payment's position (the owner then, the
/// card terms then), so it is the same whatever the block ranges were, and stays true after
/// later blocks arrive.
struct PaymentLedger {
    let db: Database
    let chainID: UInt64
    private var chain: Int64 { Int64(chainID) }

    init(db: Database, chainID: UInt64) {
        self.db = db
        self.chainID = chainID
    }

    /// The terms an agent's card named at `position`: the card version current then.
    struct Terms {
        var payTo: Set<String> = []
        var assets: Set<String> = []
    }

    // MARK: Recording

    /// Stores a `PaymentReceived`: trusted as an agent log when a followed factory made the agent.
    func recordPaymentReceived(_ event: ChainEvent, payer: EthereumAddress, asset: EthereumAddress, amount: UInt256) throws {
        let agent = event.agent.lowercased
        let factoryMade = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM event WHERE chain_id = ? AND agent = ? AND kind = 'created')
            """, arguments: [chain, agent]) ?? false
        try insertPayment(agent: agent, provenance: event.provenance, kind: asset == .zero ? "native" : "pay",
                          payer: payer.lowercased, asset: asset.lowercased, amount: amount, recipient: agent,
                          evidence: factoryMade ? .factoryAgentLog : .agentLogOnly, claimants: 1)
    }

    /// Stores a `Rated` log.
    func recordRating(_ event: ChainEvent, rater: EthereumAddress, score: UInt8, comment: String) throws {
        let p = event.provenance
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO rating (chain_id, agent, block_number, log_index, block_hash, tx_hash, rater, score, comment)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [chain, event.agent.lowercased, Int64(p.blockNumber), Int64(p.logIndex),
                                     Hex.encode(p.blockHash), Hex.encode(p.transactionHash), rater.lowercased,
                                     Int64(score), comment])
    }

    /// Stores the payment terms of a valid card version.
    func recordTerms(agent: EthereumAddress, provenance p: Provenance, payTo: [(EthereumAddress, EthereumAddress)]) throws {
        try db.execute(sql: "DELETE FROM card_term WHERE chain_id = ? AND agent = ? AND block_number = ? AND log_index = ?",
                       arguments: [chain, agent.lowercased, Int64(p.blockNumber), Int64(p.logIndex)])
        for (payTo, asset) in payTo {
            try db.cachedStatement(sql: """
                INSERT INTO card_term (chain_id, agent, block_number, log_index, pay_to, asset) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [chain, agent.lowercased, Int64(p.blockNumber), Int64(p.logIndex),
                                         payTo.lowercased, asset.lowercased])
        }
    }

    /// Attributes a token transfer to the agents it paid, and returns them.
    ///
    /// - To an agent contract: a payment to that agent; when the same transaction holds the
    ///   agent's matching `PaymentReceived` (payer, token, amount), that row is the one payment and
    ///   the transfer only backs it.
    /// - To a `payTo` named by the terms current at the transfer: a payment to each such agent,
    ///   with the number of claimants recorded (more than one is not counted).
    /// The token must be configured or named as an asset by the agent's card.
    func recordTransfer(_ transfer: TokenTransfer, listedTokens: Set<String>) throws -> [String] {
        let p = transfer.provenance
        let position = ChainPosition(block: p.blockNumber, logIndex: p.logIndex)
        let token = transfer.token.lowercased
        let to = transfer.to.lowercased
        var paid: [String] = []

        let recipientIsAgent = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM agent WHERE chain_id = ? AND address = ? AND discovered_block <= ?)
            """, arguments: [chain, to, Int64(position.block)]) ?? false
        if recipientIsAgent {
            let terms = try terms(of: to, at: position)
            if listedTokens.contains(token) || terms.assets.contains(token) {
                if try !backExistingPayment(agent: to, transfer) {
                    try insertPayment(agent: to, provenance: p, kind: transfer.authorized ? "x402" : "transfer",
                                      payer: transfer.from.lowercased, asset: token, amount: transfer.value, recipient: to,
                                      evidence: .tokenLog, claimants: 1)
                }
                paid.append(to)
            }
        }

        var claimants: [String] = []
        for agent in try String.fetchAll(db, sql: """
            SELECT DISTINCT agent FROM card_term WHERE chain_id = ? AND pay_to = ? AND (block_number, log_index) <= (?, ?)
            ORDER BY agent
            """, arguments: [chain, to, Int64(position.block), Int64(position.logIndex)]) where agent != to {
            let terms = try terms(of: agent, at: position)
            if terms.payTo.contains(to), listedTokens.contains(token) || terms.assets.contains(token) {
                claimants.append(agent)
            }
        }
        for agent in claimants {
            try insertPayment(agent: agent, provenance: p, kind: transfer.authorized ? "x402" : "transfer",
                              payer: transfer.from.lowercased, asset: token, amount: transfer.value, recipient: to,
                              evidence: .tokenLog, claimants: claimants.count)
            paid.append(agent)
        }
        return paid
    }

    /// Marks the agent's `pay()` payment in the same transaction as backed by `transfer`; false
    /// when there is none.
    private func backExistingPayment(agent: String, _ transfer: TokenTransfer) throws -> Bool {
        guard let key = try Row.fetchOne(db, sql: """
            SELECT block_number, log_index FROM payment
            WHERE chain_id = ? AND tx_hash = ? AND agent = ? AND kind = 'pay' AND payer = ? AND asset = ? AND amount = ?
              AND evidence != 'token-log'
            ORDER BY log_index LIMIT 1
            """, arguments: [chain, Hex.encode(transfer.provenance.transactionHash), agent, transfer.from.lowercased,
                             transfer.token.lowercased, transfer.value.description]) else { return false }
        try db.execute(sql: """
            UPDATE payment SET evidence = 'token-log' WHERE chain_id = ? AND agent = ? AND block_number = ? AND log_index = ?
            """, arguments: [chain, agent, key[0], key[1]])
        return true
    }

    private func insertPayment(agent: String, provenance p: Provenance, kind: String, payer: String, asset: String,
                               amount: UInt256, recipient: String, evidence: PaymentEvidence, claimants: Int) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO payment (chain_id, agent, block_number, log_index, block_hash, tx_hash, kind, payer, asset,
                                            amount, recipient, evidence, claimants)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [chain, agent, Int64(p.blockNumber), Int64(p.logIndex), Hex.encode(p.blockHash),
                                     Hex.encode(p.transactionHash), kind, payer, asset, amount.description, recipient,
                                     evidence.rawValue, claimants])
    }

    // MARK: Classification

    /// Decides `counted` and `reason` for every payment in blocks `from…to` (all blocks when nil).
    func classify(from: UInt64? = nil, to: UInt64? = nil, assets: PaymentAssets) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT agent, block_number, log_index, payer, asset, amount, evidence, claimants FROM payment
            WHERE chain_id = ? AND block_number BETWEEN ? AND ?
            """, arguments: [chain, Int64(from ?? 0), Int64(clamping: to ?? UInt64(Int64.max))])
        for row in rows {
            let agent: String = row[0]
            let position = ChainPosition(block: UInt64(row[1] as Int64), logIndex: UInt64(row[2] as Int64))
            guard let agentAddress = try? EthereumAddress(agent), let payer = try? EthereumAddress(row[3] as String),
                  let asset = try? EthereumAddress(row[4] as String), let amount = UInt256(decimal: row[5] as String) else { continue }
            let terms = try terms(of: agent, at: position)
            let facts = PaymentFacts(
                payer: payer, asset: asset, amount: amount, agent: agentAddress,
                owner: try owner(of: agent, at: position).flatMap { try? EthereumAddress($0) },
                payTo: Set(terms.payTo.compactMap { try? EthereumAddress($0) }),
                assetIsListed: assets.isListed(asset), dustThreshold: assets.dust[asset],
                evidence: PaymentEvidence(rawValue: row[6]) ?? .agentLogOnly, recipientClaimants: row[7])
            let reason = PaymentRules.exclusion(facts)
            try db.cachedStatement(sql: """
                UPDATE payment SET counted = ?, reason = ? WHERE chain_id = ? AND agent = ? AND block_number = ? AND log_index = ?
                """).execute(arguments: [reason == nil, reason?.rawValue, chain, agent, row[1], row[2]])
        }
    }

    /// The owner of `agent` at `position`: the newest event naming one, at or before it.
    func owner(of agent: String, at position: ChainPosition) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT owner FROM event WHERE chain_id = ? AND agent = ? AND owner IS NOT NULL AND (block_number, log_index) <= (?, ?)
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """, arguments: [chain, agent, Int64(position.block), Int64(position.logIndex)])
    }

    /// The payment terms of the card version of `agent` current at `position` (empty when that
    /// version is invalid or has no terms).
    func terms(of agent: String, at position: ChainPosition) throws -> Terms {
        guard let version = try Row.fetchOne(db, sql: """
            SELECT block_number, log_index FROM card_version
            WHERE chain_id = ? AND agent = ? AND (block_number, log_index) <= (?, ?)
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """, arguments: [chain, agent, Int64(position.block), Int64(position.logIndex)]) else { return Terms() }
        var terms = Terms()
        for row in try Row.fetchAll(db, sql: """
            SELECT pay_to, asset FROM card_term WHERE chain_id = ? AND agent = ? AND block_number = ? AND log_index = ?
            """, arguments: [chain, agent, version[0], version[1]]) {
            terms.payTo.insert(row[0])
            terms.assets.insert(row[1])
        }
        return terms
    }
}
