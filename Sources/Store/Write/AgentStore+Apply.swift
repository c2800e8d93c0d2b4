import AgentCards
import EthereumCore
import Foundation
import GRDB

extension AgentStore {
    /// Records a chain and the sources the follower watches on it; safe to call at every start.
    /// A source already recorded keeps its row; its `curated` flag is refreshed.
    public func registerChain(id chainID: UInt64, name: String, sources: [SourceConfig]) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO chain (chain_id, name) VALUES (?, ?)
                ON CONFLICT (chain_id) DO UPDATE SET name = excluded.name
                """, arguments: [Int64(chainID), name])
            for source in sources {
                try db.execute(sql: """
                    INSERT INTO source (chain_id, address, kind, start_block, curated) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (chain_id, address) DO UPDATE SET curated = excluded.curated
                    """, arguments: [Int64(chainID), source.address.lowercased, source.kind.rawValue,
                                     Int64(source.startBlock), source.curated])
            }
        }
    }

    /// The last block whose range is committed for `chainID`, or nil before the first range.
    public func cursor(chainID: UInt64) throws -> UInt64? {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT indexed_block FROM chain WHERE chain_id = ?", arguments: [Int64(chainID)])
        }.map(UInt64.init)
    }

    /// Every agent known on `chainID` with the block it was discovered at: the follower watches
    /// their logs from that block on.
    public func knownAgents(chainID: UInt64) throws -> [EthereumAddress: UInt64] {
        try read { db in
            var agents: [EthereumAddress: UInt64] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT address, discovered_block FROM agent WHERE chain_id = ?",
                                           arguments: [Int64(chainID)])
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

    /// Commits one block range: its events, card versions, the derived state of every agent they
    /// touch, and the cursor, in one transaction. Either all of it lands or none of it does.
    public func apply(_ batch: RangeBatch) throws {
        try write { db in
            var touched: [String] = []
            var seen = Set<String>()
            for event in batch.events {
                let agent = event.agent.lowercased
                try insert(event, chainID: batch.chainID, in: db)
                if seen.insert(agent).inserted { touched.append(agent) }
            }
            let curated = try curatedRegistries(chainID: batch.chainID, in: db)
            for agent in touched {
                try AgentDerivation(db: db, chainID: batch.chainID, address: agent, curatedRegistries: curated).run()
            }
            try db.execute(sql: """
                UPDATE chain SET indexed_block = ?, head_block = max(coalesce(head_block, 0), ?), updated_at = ?
                WHERE chain_id = ?
                """, arguments: [Int64(batch.toBlock), Int64(batch.headBlock), Int64(Date().timeIntervalSince1970),
                                 Int64(batch.chainID)])
        }
    }

    private func curatedRegistries(chainID: UInt64, in db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT address FROM source WHERE chain_id = ? AND curated = 1",
                                arguments: [Int64(chainID)]))
    }

    private func insert(_ event: ChainEvent, chainID: UInt64, in db: Database) throws {
        let p = event.provenance
        let agent = event.agent.lowercased
        let chain = Int64(chainID)
        switch event.payload {
        case .created, .registered:
            let id = AgentID(chainID: chainID, address: event.agent).description
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO agent (chain_id, address, agent_id, discovered_block) VALUES (?, ?, ?, ?)
                """).execute(arguments: [chain, agent, id, Int64(p.blockNumber)])
        default:
            break
        }
        let row = EventRow(event)
        if let kind = row.kind {
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO event (chain_id, block_number, log_index, block_hash, tx_hash, emitter, agent,
                                              kind, owner, flag, value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [chain, Int64(p.blockNumber), Int64(p.logIndex), Hex.encode(p.blockHash),
                                         Hex.encode(p.transactionHash), event.emitter.lowercased, agent, kind,
                                         row.owner, row.flag, row.value])
        }
        if case .card(let version, _) = event.payload {
            var cardJSON: String?
            var error: String?
            switch version.outcome {
            case .success(let card): cardJSON = card.a2aJSON().serialized()
            case .failure(let rejection): error = rejection.description
            }
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO card_version (chain_id, agent, block_number, log_index, block_hash, tx_hash,
                                                     origin, raw, card_json, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [chain, agent, Int64(p.blockNumber), Int64(p.logIndex), Hex.encode(p.blockHash),
                                         Hex.encode(p.transactionHash), version.origin.rawValue, Data(version.raw),
                                         cardJSON, error])
        }
    }
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
        }
    }
}
