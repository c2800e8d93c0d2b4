import EthereumCore
import GRDB

/// What a rollback removed.
public struct RollbackSummary: Sendable, Hashable {
    /// The block the chain was rolled back to (the common ancestor).
    public var ancestor: UInt64
    /// The indexed block before the rollback.
    public var previousIndexedBlock: UInt64?
    /// Rows removed: events, card and registration file versions, payments, ratings, and ERC-8004
    /// metadata, wallets, refresh requests, feedback, revocations, responses and validations.
    public var removedRows: Int
    /// Agents forgotten because the block that revealed them is gone.
    public var removedAgents: Int
    /// Agents whose derived state was rebuilt.
    public var rederivedAgents: Int

    /// How many indexed blocks were undone.
    public var depth: UInt64 { (previousIndexedBlock ?? ancestor) - min(previousIndexedBlock ?? ancestor, ancestor) }
}

extension AgentStore {
    /// Undoes everything stored from blocks above `ancestor` on `chainID`, in one transaction:
    /// events, card and registration file versions and terms, payments, ratings, ERC-8004
    /// metadata, wallets, refresh requests, feedback, revocations, responses and validations,
    /// block headers and links, the agents those blocks revealed; rebuilds the derived state and
    /// score of every other agent they touched, and moves the cursor back to `ancestor`. The
    /// follower then indexes the new branch.
    ///
    /// ```swift
    /// let summary = try store.rollback(chainID: 1, toBlock: 19_000_120)   // after a reorg
    /// print(summary.depth, summary.rederivedAgents)
    /// ```
    @discardableResult
    public func rollback(chainID: UInt64, toBlock ancestor: UInt64) throws -> RollbackSummary {
        historyCache.clear()
        return try write { db in
            let chain = Int64(chainID)
            let above = Int64(clamping: ancestor)
            try ChangeCapture.noteRollback(chainID: chain, in: db)
            let previous = try Int64.fetchOne(db, sql: "SELECT indexed_block FROM chain WHERE chain_id = ?", arguments: [chain])
            let agentTables = ["event", "card_version", "payment", "payment_staging", "rating", "agent_metadata", "agent_wallet",
                               "feedback", "feedback_revocation"]
            var touched = Set(try String.fetchAll(db, sql: agentTables.map {
                "SELECT \($0 == "payment_staging" ? PaymentStaging.text("agent") : "agent") FROM \($0) WHERE chain_id = ?1 AND block_number > ?2"
            }.joined(separator: " UNION "), arguments: [chain, above]))
            var removed = 0
            let derivedFrom = ["card_term"]   // rows that restate another table's rows
            for table in agentTables + derivedFrom + ["document_refresh", "feedback_response", "validation_request",
                                                      "validation_response"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE chain_id = ? AND block_number > ?", arguments: [chain, above])
                if !derivedFrom.contains(table) { removed += db.changesCount }
            }
            for table in ["block", "block_link"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE chain_id = ? AND number > ?", arguments: [chain, above])
            }
            let gone = try Row.fetchAll(db, sql: "SELECT id, address FROM agent WHERE chain_id = ? AND discovered_block > ?",
                                        arguments: [chain, above])
            for row in gone {
                try Self.deleteAgent(id: row[0], in: db)
                touched.remove(row[1])
            }
            let curated = try curatedRegistries(chainID: chainID, in: db)
            let clock = try ReputationSQL.clock(chainID: chainID, atBlock: ancestor, in: db)?.clock
            for agent in touched.sorted() {
                try AgentDerivation(db: db, chainID: chainID, address: agent, curatedRegistries: curated).run()
            }
            if let clock { try updateScores(chainID: chainID, addresses: touched.sorted(), clock: clock, in: db) }
            try db.execute(sql: """
                UPDATE chain SET indexed_block = min(coalesce(indexed_block, ?2), ?2), caught_up = 0, scores_day = NULL
                WHERE chain_id = ?1
                """, arguments: [chain, above])
            return RollbackSummary(ancestor: ancestor, previousIndexedBlock: previous.map(UInt64.init), removedRows: removed,
                                   removedAgents: gone.count, rederivedAgents: touched.count)
        }
    }

    /// Removes an agent row and every row derived from it.
    static func deleteAgent(id: Int64, in db: Database) throws {
        for table in ["agent_source", "agent_skill", "agent_tag", "agent_mode", "agent_payment", "agent_service"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE agent = ?", arguments: [id])
        }
        try db.execute(sql: "DELETE FROM agent_fts WHERE rowid = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM agent WHERE id = ?", arguments: [id])
    }

    /// The stored links of `chainID` from `lowest` up, newest first: what the follower compares
    /// with the node's blocks to find the common ancestor after a reorg.
    public func blockLinks(chainID: UInt64, from lowest: UInt64 = 0) throws -> [BlockLink] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT number, hash, parent_hash FROM block_link WHERE chain_id = ? AND number >= ? ORDER BY number DESC
                """, arguments: [Int64(chainID), Int64(clamping: lowest)]).compactMap { row in
                guard let hash = try? Hex.decode(row[1] as String), let parent = try? Hex.decode(row[2] as String) else { return nil }
                return BlockLink(number: UInt64(row[0] as Int64), hash: hash, parentHash: parent)
            }
        }
    }

    /// The stored hash of block `number` on `chainID`, from the links or the headers.
    public func blockHash(chainID: UInt64, number: UInt64) throws -> [UInt8]? {
        try read { db in
            let text = try String.fetchOne(db, sql: """
                SELECT hash FROM block_link WHERE chain_id = ?1 AND number = ?2
                UNION ALL SELECT hash FROM block WHERE chain_id = ?1 AND number = ?2 LIMIT 1
                """, arguments: [Int64(chainID), Int64(clamping: number)])
            return text.flatMap { try? Hex.decode($0) }
        }
    }
}
