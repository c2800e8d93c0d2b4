import AgentCards
import EthereumCore
import Foundation
import GRDB
import Reputation

extension AgentStore {
    /// Records a chain, the sources the follower watches on it and which assets count as payment;
    /// safe to call at every start. A source already recorded keeps its row; its `curated` flag is
    /// refreshed. When the payment assets differ from the stored ones, every stored payment is
    /// classified again under the new rules and every score recomputed.
    public func registerChain(id chainID: UInt64, name: String, sources: [SourceConfig], erc8004: [ERC8004Registry] = [],
                              assets: PaymentAssets = PaymentAssets()) throws {
        if try read({ db in try Self.paymentAssets(chainID: chainID, in: db) != assets }) {
            try mergeStagedPayments(chainID: chainID)   // classified again below with the others
        }
        try write { db in
            try db.execute(sql: """
                INSERT INTO chain (chain_id, name) VALUES (?, ?)
                ON CONFLICT (chain_id) DO UPDATE SET name = excluded.name
                """, arguments: [Int64(chainID), name])
            for registry in erc8004 {
                try db.execute(sql: """
                    INSERT INTO erc8004_registry (chain_id, address, kind, start_block) VALUES (?, ?, ?, ?)
                    ON CONFLICT (chain_id, address) DO UPDATE SET kind = excluded.kind, start_block = excluded.start_block
                    """, arguments: [Int64(chainID), registry.address.lowercased, registry.kind.rawValue, Int64(registry.startBlock)])
            }
            for source in sources {
                try db.execute(sql: """
                    INSERT INTO source (chain_id, address, kind, start_block, curated) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (chain_id, address) DO UPDATE SET curated = excluded.curated
                    """, arguments: [Int64(chainID), source.address.lowercased, source.kind.rawValue,
                                     Int64(source.startBlock), source.curated])
            }
            guard try Self.paymentAssets(chainID: chainID, in: db) != assets else { return }
            try db.execute(sql: "DELETE FROM asset_rule WHERE chain_id = ?", arguments: [Int64(chainID)])
            for asset in assets.tokens.union(assets.dust.keys).sorted() {
                try db.execute(sql: "INSERT INTO asset_rule (chain_id, asset, listed, dust) VALUES (?, ?, ?, ?)",
                               arguments: [Int64(chainID), asset.lowercased, assets.tokens.contains(asset),
                                           assets.dust[asset]?.description])
            }
            try PaymentLedger(db: db, chainID: chainID).classifyStored(assets: assets)
            if let indexed = try Int64.fetchOne(db, sql: "SELECT indexed_block FROM chain WHERE chain_id = ?", arguments: [Int64(chainID)]) {
                try refreshScores(chainID: chainID, at: UInt64(indexed), in: db)
            }
        }
    }

    /// The payment assets recorded for `chainID`.
    static func paymentAssets(chainID: UInt64, in db: Database) throws -> PaymentAssets {
        var assets = PaymentAssets()
        for row in try Row.fetchAll(db, sql: "SELECT asset, listed, dust FROM asset_rule WHERE chain_id = ?", arguments: [Int64(chainID)]) {
            guard let asset = try? EthereumAddress(row[0] as String) else { continue }
            if row[1] as Bool { assets.tokens.insert(asset) }
            if let dust = (row[2] as String?).flatMap({ UInt256(decimal: $0) }) { assets.dust[asset] = dust }
        }
        return assets
    }

    /// What the follower must watch for payments on `chainID` (``PaymentWatch``), from the
    /// configuration and every card and agent stored so far.
    public func paymentWatch(chainID: UInt64) throws -> PaymentWatch {
        try read { db in
            let chain = Int64(chainID)
            let assets = try Self.paymentAssets(chainID: chainID, in: db)
            var tokens = assets.tokens
            for text in try String.fetchAll(db, sql: "SELECT DISTINCT asset FROM card_term WHERE chain_id = ?", arguments: [chain]) {
                if let token = try? EthereumAddress(text), token != .zero { tokens.insert(token) }
            }
            var recipients = Set<EthereumAddress>()
            for text in try String.fetchAll(db, sql: """
                SELECT DISTINCT pay_to FROM card_term WHERE chain_id = ?1
                UNION SELECT DISTINCT wallet FROM agent_wallet WHERE chain_id = ?1 AND wallet IS NOT NULL
                """, arguments: [chain]) {
                if let address = try? EthereumAddress(text) { recipients.insert(address) }
            }
            for text in try String.fetchAll(db, sql: """
                SELECT address FROM agent a WHERE chain_id = ? AND standard = 'agent-contract'
                AND NOT EXISTS (SELECT 1 FROM event e WHERE e.chain_id = a.chain_id AND e.agent = a.address AND e.kind = 'created')
                """, arguments: [chain]) {
                if let address = try? EthereumAddress(text) { recipients.insert(address) }
            }
            return PaymentWatch(tokens: tokens, recipients: recipients)
        }
    }

    /// The last block whose range is committed for `chainID`, or nil before the first range.
    public func cursor(chainID: UInt64) throws -> UInt64? {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT indexed_block FROM chain WHERE chain_id = ?", arguments: [Int64(chainID)])
        }.map(UInt64.init)
    }

    /// Every agent contract known on `chainID` with the block it was discovered at: the follower
    /// watches their logs from that block on (ERC-8004 agents log nothing of their own).
    public func knownAgents(chainID: UInt64) throws -> [EthereumAddress: UInt64] {
        try read { db in
            var agents: [EthereumAddress: UInt64] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT address, discovered_block FROM agent WHERE chain_id = ? AND standard = 'agent-contract'
                """, arguments: [Int64(chainID)])
            while let row = try rows.next() {
                if let address = try? EthereumAddress(row[0] as String) {
                    agents[address] = UInt64(row[1] as Int64)
                }
            }
            return agents
        }
    }

    /// Records the newest head seen and whether the follower has caught up with it.
    public func recordHead(chainID: UInt64, head: UInt64, caughtUp: Bool) throws {
        try write { db in
            try db.execute(sql: "UPDATE chain SET head_block = ?, caught_up = ?, updated_at = ? WHERE chain_id = ?",
                           arguments: [Int64(head), caughtUp, Int64(Date().timeIntervalSince1970), Int64(chainID)])
        }
    }

    /// Commits one block range: its events (ERC-8004 registries' included), card and registration
    /// file versions, payments, ratings and feedback, the derived state of every agent whose own
    /// events changed, and the cursor, in one transaction. Either all of it lands or none of it does.
    ///
    /// A bulk batch suspends the read indexes; the first batch after it that is not bulk builds
    /// them again first, in a transaction of its own (``ReadIndexes``).
    ///
    /// Scores: a range that reaches the follower's target scores every agent it paid or rated
    /// and every agent still waiting from earlier ranges (`score_pending`); ranges before the
    /// target only mark theirs as waiting, so a backfill computes each score once.
    public func apply(_ batch: RangeBatch) throws {
        if !batch.bulk {
            try pool.writeWithoutTransaction { db in try ReadIndexes.resume(chainID: batch.chainID, in: db) }
        }
        let carried = try write { db in
            let chain = Int64(batch.chainID)
            if batch.bulk { try ReadIndexes.suspend(chainID: batch.chainID, in: db) }
            let ledger = try PaymentLedger(db: db, chainID: batch.chainID,
                                           carried: historyCache.take(chainID: batch.chainID, in: db), staged: batch.bulk)
            for stamp in batch.blocks {
                try db.cachedStatement(sql: "INSERT OR REPLACE INTO block (chain_id, number, hash, timestamp) VALUES (?, ?, ?, ?)")
                    .execute(arguments: [chain, Int64(stamp.number), Hex.encode(stamp.hash), Int64(clamping: stamp.timestamp)])
            }
            try Self.insertLinks(batch.links, chainID: batch.chainID, finalized: batch.finalizedBlock, in: db)
            var derive = OrderedSet()   // agents whose own events (card, membership, owner, wallet…) changed
            var scored = OrderedSet()   // agents paid, rated or given feedback
            var cards: [Int64: CardVersion] = [:]   // the batch's card versions by row id: decoded once
            var registrations: [Int64: RegistrationVersion] = [:]
            for event in batch.events {
                if let row = try insert(event, chainID: batch.chainID, ledger: ledger, in: db), case .card(let version, _) = event.payload {
                    cards[row] = version
                }
                switch event.payload {
                case .paymentReceived, .rated: scored.insert(event.agent.lowercased)
                default: derive.insert(event.agent.lowercased)
                }
            }
            // ERC-8004 agents are other agents than contracts: their events go in after the contracts'
            // and before the transfers, which are attributed to the wallets they set.
            let writer = ERC8004EventWriter(db: db, chainID: batch.chainID, ledger: ledger)
            for event in batch.erc8004Events {
                let (effect, row) = try writer.insert(event)
                if let row, let version = event.registrationVersion { registrations[row] = version }
                switch effect {
                case .derive: derive.insert(event.agent.storeKey)
                case .score: scored.insert(event.agent.storeKey)
                case .none: break
                }
            }
            let assets = try Self.paymentAssets(chainID: batch.chainID, in: db)
            let listed = Set(assets.tokens.map(\.lowercased))
            for transfer in batch.transfers {
                for agent in try ledger.recordTransfer(transfer, listedTokens: listed) { scored.insert(agent) }
            }
            try ledger.flush(assets: assets)

            let curated = try curatedRegistries(chainID: batch.chainID, in: db)
            for agent in derive.items {
                try AgentDerivation(db: db, chainID: batch.chainID, address: agent, curatedRegistries: curated, batchCards: cards,
                                    batchRegistrations: registrations).run()
            }
            for agent in derive.items { scored.insert(agent) }   // a new card or owner moves the score too
            try score(scored.items, batch: batch, in: db)
            try db.cachedStatement(sql: """
                UPDATE chain SET indexed_block = ?, head_block = max(coalesce(head_block, 0), ?), updated_at = ?
                WHERE chain_id = ?
                """).execute(arguments: [Int64(batch.toBlock), Int64(batch.headBlock), Int64(Date().timeIntervalSince1970), chain])
            return ledger.carried
        }
        historyCache.keep(carried, chainID: batch.chainID)
    }

    /// Scores `agents` now when the batch reaches the target (with every waiting agent, and every
    /// agent once per chain day), else records them as waiting.
    private func score(_ agents: [String], batch: RangeBatch, in db: Database) throws {
        let chain = Int64(batch.chainID)
        guard batch.reachesTarget else {
            for agent in agents {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO score_pending (chain_id, agent) VALUES (?, ?)")
                    .execute(arguments: [chain, agent])
            }
            return
        }
        guard let clock = try ReputationSQL.clock(chainID: batch.chainID, atBlock: batch.toBlock, in: db)?.clock else { return }
        var due = Set(agents)
        due.formUnion(try String.fetchAll(db, sql: "SELECT agent FROM score_pending WHERE chain_id = ?", arguments: [chain]))
        try db.execute(sql: "DELETE FROM score_pending WHERE chain_id = ?", arguments: [chain])
        let day = Int64(clock.timestamp / ReputationMetrics.day)
        if try Int64.fetchOne(db, sql: "SELECT scores_day FROM chain WHERE chain_id = ?", arguments: [chain]) != day {
            due.formUnion(try Self.agentsWithReputation(chainID: batch.chainID, in: db))
            try db.execute(sql: "UPDATE chain SET scores_day = ? WHERE chain_id = ?", arguments: [day, chain])
        }
        try updateScores(chainID: batch.chainID, addresses: due.sorted(), clock: clock, in: db)
    }

    /// Stores `links` and forgets those below the finalized block (or more than 4096 blocks
    /// below the newest link when the node reports no finality).
    static func insertLinks(_ links: [BlockLink], chainID: UInt64, finalized: UInt64?, in db: Database) throws {
        guard let newest = links.map(\.number).max() else { return }
        for link in links {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO block_link (chain_id, number, hash, parent_hash) VALUES (?, ?, ?, ?)")
                .execute(arguments: [Int64(chainID), Int64(link.number), Hex.encode(link.hash), Hex.encode(link.parentHash)])
        }
        let floor = finalized ?? (newest > 4_096 ? newest - 4_096 : 0)
        try db.cachedStatement(sql: "DELETE FROM block_link WHERE chain_id = ? AND number < ?")
            .execute(arguments: [Int64(chainID), Int64(floor)])
    }

    /// Recomputes the stored score of every agent with payments or ratings at `block`: recency
    /// and the day windows move with time even when nothing happens to an agent.
    func refreshScores(chainID: UInt64, at block: UInt64, in db: Database) throws {
        guard let clock = try ReputationSQL.clock(chainID: chainID, atBlock: block, in: db)?.clock else { return }
        try updateScores(chainID: chainID, addresses: Self.agentsWithReputation(chainID: chainID, in: db), clock: clock, in: db)
    }

    /// Every agent with a payment, a rating or feedback on `chainID`.
    static func agentsWithReputation(chainID: UInt64, in db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT agent FROM payment WHERE chain_id = ?1 UNION SELECT agent FROM rating WHERE chain_id = ?1
            UNION SELECT agent FROM feedback \(try ReadIndexes.indexedBy("feedback_agent", in: db)) WHERE chain_id = ?1
            """, arguments: [Int64(chainID)])
    }

    /// Stores the score and the last activity block of each agent in `addresses`, 256 agents to
    /// a group of reads (``ReputationSQL/reputations(chainID:addresses:clock:in:)``).
    func updateScores(chainID: UInt64, addresses: [String], clock: ReputationClock, in db: Database) throws {
        let floor = addresses.count > 256 ? try ReputationSQL.windowFloor(chainID: chainID, clock: clock, in: db) : 0
        let feedback = "feedback \(try ReadIndexes.indexedBy("feedback_agent", in: db))"
        for start in stride(from: 0, to: addresses.count, by: 256) {
            let group = Array(addresses[start..<min(start + 256, addresses.count)])
            let reputations = try ReputationSQL.reputations(chainID: chainID, addresses: group, clock: clock,
                                                            windowFloor: floor, in: db)
            var lastActivity: [String: Int64] = [:]
            let list = ReputationSQL.AgentList(chainID: chainID, addresses: group, block: .max)
            for table in ["event INDEXED BY event_by_position", "payment", "rating", "card_version", feedback] {
                try list.rows(db, """
                    SELECT agent, max(block_number) FROM \(table)
                    WHERE chain_id = ?1 AND \(list.agents("agent")) AND block_number <= ?2 GROUP BY agent
                    """) { row in
                    lastActivity[row[0]] = max(lastActivity[row[0]] ?? 0, row[1])
                }
            }
            for (address, reputation) in zip(group, reputations) {
                try db.cachedStatement(sql: "UPDATE agent SET score = ?, last_activity_block = ? WHERE chain_id = ? AND address = ?")
                    .execute(arguments: [reputation.score.score, lastActivity[address] ?? 0, Int64(chainID), address])
            }
        }
    }

    func curatedRegistries(chainID: UInt64, in db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT address FROM source WHERE chain_id = ? AND curated = 1",
                                arguments: [Int64(chainID)]))
    }

    /// Stores one event; returns the `card_version` row id of a card event.
    @discardableResult
    private func insert(_ event: ChainEvent, chainID: UInt64, ledger: PaymentLedger, in db: Database) throws -> Int64? {
        let p = event.provenance
        let agent = event.agent.lowercased
        let chain = Int64(chainID)
        switch event.payload {
        case .created, .registered:
            let id = AgentID(chainID: chainID, address: event.agent).description
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO agent (chain_id, address, agent_id, discovered_block) VALUES (?, ?, ?, ?)
                """).execute(arguments: [chain, agent, id, Int64(p.blockNumber)])
        case .paymentReceived(let payer, let asset, let amount):
            try ledger.recordPaymentReceived(event, payer: payer, asset: asset, amount: amount)
        case .rated(let rater, let score, let comment):
            try ledger.recordRating(event, rater: rater, score: score, comment: comment)
        default:
            break
        }
        let row = EventRow(event)
        if row.kind != nil || event.payload.isCard { ledger.forget(agent: agent) }
        if let kind = row.kind {
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO event (chain_id, block_number, log_index, block_hash, tx_hash, emitter, agent,
                                              kind, owner, flag, value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [chain, Int64(p.blockNumber), Int64(p.logIndex), p.blockWord.hex,
                                         p.transactionWord.hex, event.emitter.lowercased, agent, kind,
                                         row.owner, row.flag, row.value])
        }
        guard case .card(let version, _) = event.payload else { return nil }
        var cardJSON: String?
        var name: String?
        var error: String?
        switch version.outcome {
        case .success(let card):
            cardJSON = version.rows?.json   // set with every decoded card
            name = card.name
            try ledger.recordTerms(agent: event.agent, provenance: p, payTo: card.payments.map { ($0.payTo, $0.asset) })
        case .failure(let rejection): error = rejection.description
        }
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO card_version (chain_id, agent, block_number, log_index, block_hash, tx_hash,
                                                 origin, raw, card_json, name, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [chain, agent, Int64(p.blockNumber), Int64(p.logIndex), p.blockWord.hex,
                                     p.transactionWord.hex, version.origin.rawValue, Data(version.raw),
                                     cardJSON, name, error])
        return db.lastInsertedRowID
    }
}

/// Names in first-seen order, each once.
private struct OrderedSet {
    private(set) var items: [String] = []
    private var seen: Set<String> = []

    mutating func insert(_ item: String) {
        if seen.insert(item).inserted { items.append(item) }
    }
}

private extension ChainEvent.Payload {
    var isCard: Bool { if case .card = self { true } else { false } }
}

/// The columns of an `event` row for one payload. Card versions read by `eth_call` have no log
/// of their own and are kept in `card_version` only.
private struct EventRow {
    var kind: String?
    var owner: String?
    var flag: Bool?
    var value: Int64?

    init(_ event: ChainEvent) {
        switch event.payload {
        case .created(_, let owner): kind = "created"; self.owner = owner.lowercased
        case .registered(_, let owner): kind = "registered"; self.owner = owner.lowercased
        case .unregistered: kind = "unregistered"
        case .approved: kind = "approved"
        case .revoked: kind = "revoked"
        case .card(let version, let owner):
            if version.origin == .log { kind = "card"; self.owner = owner?.lowercased }
        case .activeChanged(let active): kind = "active"; flag = active
        case .ownershipTransferred(let newOwner): kind = "owner"; owner = newOwner.lowercased
        case .heartbeat(let timestamp): kind = "heartbeat"; value = Int64(clamping: timestamp)
        case .paymentReceived, .rated: break   // kept in `payment` and `rating`
        }
    }
}
