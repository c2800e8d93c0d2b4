import AgentCards
import EthereumCore
import Foundation
import GRDB

/// Rebuilds one agent's derived rows from its stored events: owner, active flag, heartbeat,
/// source memberships, the current card and everything searched from it (filters, FTS, summary).
/// An ERC-8004 agent's rows come from its token's events instead (``runERC8004(id:previousVersion:)``).
///
/// Derivation reads only stored events, so it gives the same result whether the events arrived
/// in one batch or many, and after a rollback.
struct AgentDerivation {
    let db: Database
    let chainID: UInt64
    /// The agent's key (`agent.address`).
    let address: String
    let curatedRegistries: Set<String>
    /// Card versions already decoded (the batch being applied), by `card_version` row id: the
    /// current card is decoded from its stored bytes only when it is not among them.
    var batchCards: [Int64: CardVersion] = [:]
    /// The same for ERC-8004 registration file versions.
    var batchRegistrations: [Int64: RegistrationVersion] = [:]
    /// Rebuild the search rows even when the current version did not change (new derived tables).
    var rebuildSearch = false

    /// Derives every agent of the database again (a migration that adds derived rows).
    static func rederiveAll(in db: Database) throws {
        for chain in try Int64.fetchAll(db, sql: "SELECT DISTINCT chain_id FROM agent") {
            let curated = Set(try String.fetchAll(db, sql: "SELECT address FROM source WHERE chain_id = ? AND curated = 1",
                                                  arguments: [chain]))
            for address in try String.fetchAll(db, sql: "SELECT address FROM agent WHERE chain_id = ? ORDER BY address",
                                               arguments: [chain]) {
                var derivation = AgentDerivation(db: db, chainID: UInt64(chain), address: address, curatedRegistries: curated)
                derivation.rebuildSearch = true
                try derivation.run()
            }
        }
    }

    func run() throws {
        let chain = Int64(chainID)
        guard let agentRow = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, card_version_id, standard FROM agent WHERE chain_id = ? AND address = ?
            """), arguments: [chain, address]) else { return }
        let id: Int64 = agentRow[0]
        let previousCard: Int64? = agentRow[1]
        if agentRow[2] as String == "erc8004" {
            try runERC8004(id: id, previousVersion: previousCard)
            return
        }

        let owner = try String.fetchOne(db.cachedStatement(sql: """
            SELECT owner FROM event INDEXED BY event_by_position WHERE chain_id = ? AND agent = ? AND owner IS NOT NULL
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: [chain, address])
        let active = try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT flag FROM event INDEXED BY event_by_position WHERE chain_id = ? AND agent = ? AND kind = 'active'
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: [chain, address]) ?? true
        let heartbeat = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT block_number, value FROM event INDEXED BY event_by_position WHERE chain_id = ? AND agent = ? AND kind = 'heartbeat'
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: [chain, address])
        let sources = try deriveSources(agentID: id)
        let listed = sources.contains { $0.listed }

        let card = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, raw, error FROM card_version WHERE chain_id = ? AND agent = ?
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: [chain, address])
        let versions = try Int64.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM card_version WHERE chain_id = ? AND agent = ?"), arguments: [chain, address]) ?? 0
        let cardID: Int64? = card?[0]
        var decoded: AgentCard?
        var rows: CardRows?
        var invalidReason: String? = card == nil ? "no card yet" : nil
        if let card, let cardID {
            if let error: String = card[2] {
                invalidReason = error
            } else if let version = batchCards[cardID], case .success(let known) = version.outcome {
                decoded = known
                rows = version.rows
            } else {
                let raw: Data = card[1]
                do { decoded = try AgentCard(abiEncoded: [UInt8](raw)) } catch { invalidReason = error.description }
            }
        }
        if cardID != previousCard || decoded == nil || rebuildSearch {
            // Search rows exist only while the agent points at a card version (see below).
            try rebuildSearchRows(agentID: id, rows: decoded.map { rows ?? CardRows($0) }, replacing: previousCard != nil)
        }
        let summary = decoded.map {
            AgentSummary.json(id: AgentID(chainID: chainID, address: (try? EthereumAddress(address)) ?? .zero),
                              card: $0, owner: owner, active: active, sources: sources)
        }
        try db.cachedStatement(sql: """
            UPDATE agent SET owner = ?, active = ?, listed = ?, valid = ?, invalid_reason = ?, card_version_id = ?,
                             card_versions = ?, last_heartbeat_block = ?, last_heartbeat_at = ?, name = ?, summary_json = ?,
                             x402 = ?
            WHERE id = ?
            """).execute(arguments: [owner, active, listed, decoded != nil, invalidReason, cardID, versions,
                             heartbeat?[0] as Int64?, heartbeat?[1] as Int64?, decoded?.name, summary,
                             decoded.map { !$0.payments.isEmpty } ?? false, id])
    }

    /// Folds the agent's factory and registry events into one membership per source.
    func deriveSources(agentID: Int64) throws -> [SourceMembership] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT emitter, kind, block_number, log_index, block_hash, tx_hash FROM event INDEXED BY event_by_position
            WHERE chain_id = ? AND agent = ? AND kind IN ('created', 'registered', 'unregistered', 'approved', 'revoked')
            ORDER BY block_number, log_index
            """), arguments: [Int64(chainID), address])
        var order: [String] = []
        var memberships: [String: SourceMembership] = [:]
        for row in rows {
            let source: String = row[0]
            let kind: String = row[1]
            let curated = curatedRegistries.contains(source)
            let status: SourceMembership.Status
            switch kind {
            case "created": status = .created
            case "registered": status = curated ? .pending : .registered
            case "approved": status = .approved
            case "revoked": status = .revoked
            default: status = .unregistered
            }
            if memberships[source] == nil { order.append(source) }
            memberships[source] = SourceMembership(
                source: source, kind: kind == "created" ? .factory : .registry, status: status,
                blockNumber: row[2], logIndex: row[3], blockHash: row[4], transactionHash: row[5])
        }
        let result = order.compactMap { memberships[$0] }
        try storeSources(result, agentID: agentID)
        return result
    }

    /// Replaces the agent's `agent_source` rows.
    func storeSources(_ memberships: [SourceMembership], agentID: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM agent_source WHERE agent = ?").execute(arguments: [agentID])
        for m in memberships {
            try db.cachedStatement(sql: """
                INSERT INTO agent_source (agent, source, kind, status, listed, block_number, log_index, block_hash, tx_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [agentID, m.source, m.kind.rawValue, m.status.rawValue, m.listed,
                                         m.blockNumber, m.logIndex, m.blockHash, m.transactionHash])
        }
    }

    /// Replaces the filter rows and the FTS row with those of a card (none when `rows` is nil).
    /// `replacing` is false for an agent that never pointed at a card version: it has no rows
    /// to delete, which saves five deletes per new agent (most of a backfill).
    func rebuildSearchRows(agentID: Int64, rows: CardRows?, replacing: Bool) throws {
        if replacing {
            for table in ["agent_skill", "agent_tag", "agent_mode", "agent_payment", "agent_service"] {
                try db.cachedStatement(sql: "DELETE FROM \(table) WHERE agent = ?").execute(arguments: [agentID])
            }
            try db.cachedStatement(sql: "DELETE FROM agent_fts WHERE rowid = ?").execute(arguments: [agentID])
        }
        guard let rows else { return }

        for skill in rows.skills {
            try db.cachedStatement(sql: "INSERT INTO agent_skill (agent, skill_id, name) VALUES (?, ?, ?)")
                .execute(arguments: [agentID, skill.id, skill.name])
        }
        for tag in rows.tags {
            try db.cachedStatement(sql: "INSERT INTO agent_tag (agent, tag) VALUES (?, ?)").execute(arguments: [agentID, tag])
        }
        for (direction, modes) in [("in", rows.inputModes), ("out", rows.outputModes)] {
            for mode in modes {
                try db.cachedStatement(sql: "INSERT INTO agent_mode (agent, direction, mode) VALUES (?, ?, ?)")
                    .execute(arguments: [agentID, direction, mode])
            }
        }
        for (position, terms) in rows.payments.enumerated() {
            try db.cachedStatement(sql: """
                INSERT INTO agent_payment (agent, position, scheme, network, asset, amount, pay_to) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [agentID, position, terms.scheme, terms.network, terms.asset, terms.amount, terms.payTo])
        }
        for service in rows.services {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO agent_service (agent, name) VALUES (?, ?)")
                .execute(arguments: [agentID, service])
        }
        let text = rows.text
        try db.cachedStatement(sql: "INSERT INTO agent_fts (rowid, name, description, skills, tags, provider) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [agentID, text.name, text.description, text.skills, text.tags, text.provider])
    }
}
