import AgentCards
import EthereumCore
import GRDB
import Reputation

extension AgentStore {
    /// The full record of one agent as JSON: current card (A2A JSON), owner, active flag,
    /// sources with status and provenance, provenance of the current card, number of card
    /// versions, and the reason the card is invalid if it is. Nil for an unknown agent.
    ///
    /// The same object, one per line, is what `agentindex export state` writes.
    public func agentRecord(_ id: AgentID) throws -> JSONValue? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: AgentRecordSQL.select + " WHERE a.chain_id = ? AND a.address = ?",
                                             arguments: [Int64(id.chainID), id.address.lowercased]) else { return nil }
            return try AgentRecordSQL.record(row, clock: AgentRecordSQL.clock(chainID: id.chainID, in: db), in: db)
        }
    }

    /// The current card of an agent as A2A AgentCard JSON text, or why there is none.
    public enum CardLookup: Sendable {
        case card(String)
        case invalid(reason: String)
        case unknownAgent
    }

    /// Looks up the current card of `id`.
    public func currentCard(_ id: AgentID) throws -> CardLookup {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT a.invalid_reason, c.card_json FROM agent a LEFT JOIN card_version c ON c.id = a.card_version_id
                WHERE a.chain_id = ? AND a.address = ?
                """, arguments: [Int64(id.chainID), id.address.lowercased]) else { return .unknownAgent }
            if let json: String = row[1] { return .card(json) }
            return .invalid(reason: row[0] ?? "no card yet")
        }
    }

    /// Calls `body` with each agent's record in canonical order (chain id, then lowercase
    /// address), streaming from the database: the same data always gives the same sequence.
    public func forEachAgentRecord(_ body: (JSONValue) throws -> Void) throws {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: AgentRecordSQL.select + " ORDER BY a.chain_id, a.address")
            var clocks: [UInt64: ReputationClock?] = [:]   // one per chain, not one per record
            while let row = try rows.next() {
                let chainID = UInt64(row[1] as Int64)
                if clocks[chainID] == nil { clocks[chainID] = try AgentRecordSQL.clock(chainID: chainID, in: db) }
                try body(try AgentRecordSQL.record(row, clock: clocks[chainID]!, in: db))
            }
        }
    }
}

/// The SQL and JSON shape of an agent record.
enum AgentRecordSQL {
    static let select = """
        SELECT a.id, a.chain_id, a.address, a.agent_id, a.owner, a.active, a.listed, a.valid, a.invalid_reason,
               a.card_versions, a.discovered_block, a.last_heartbeat_block, a.last_heartbeat_at,
               c.card_json, c.origin, c.block_number, c.block_hash, c.tx_hash, c.log_index
        FROM agent a LEFT JOIN card_version c ON c.id = a.card_version_id
        """

    /// The clock of a record's reputation: the chain's indexed block; nil before the first range.
    static func clock(chainID: UInt64, in db: Database) throws -> ReputationClock? {
        do {
            let plan = try AgentStore.plan(chainID: chainID, atBlock: nil, in: db)
            return ReputationClock(block: plan.atBlock, timestamp: plan.clockTime)
        } catch ReputationRequestError.nothingIndexed {
            return nil
        }
    }

    /// The record of `row`, its reputation computed at `clock` (null when nil).
    static func record(_ row: Row, clock: ReputationClock?, in db: Database) throws -> JSONValue {
        let id: Int64 = row[0]
        var members: [(String, JSONValue)] = [
            ("id", .string(row[3])),
            ("chainId", .number(String(row[1] as Int64))),
            ("address", .string(checksummed(row[2]))),
            ("owner", (row[4] as String?).map { .string(checksummed($0)) } ?? .null),
            ("active", .bool(row[5])),
            ("listed", .bool(row[6])),
            ("valid", .bool(row[7])),
            ("invalidReason", (row[8] as String?).map(JSONValue.string) ?? .null),
            ("discoveredBlock", .number(String(row[10] as Int64))),
        ]
        if let block: Int64 = row[11] {
            members.append(("lastHeartbeat", .object([("blockNumber", .number(String(block))),
                                                      ("timestamp", .number(String(row[12] as Int64? ?? 0)))])))
        } else {
            members.append(("lastHeartbeat", .null))
        }
        members.append(("sources", .array(try sources(agent: id, in: db))))
        members.append(("cardVersions", .number(String(row[9] as Int64))))
        if let origin: String = row[14] {
            members.append(("cardProvenance", .object([
                ("origin", .string(origin)),
                ("blockNumber", .number(String(row[15] as Int64))),
                ("blockHash", .string(row[16])),
                ("transactionHash", .string(row[17])),
                ("logIndex", .number(String(row[18] as Int64))),
            ])))
        } else {
            members.append(("cardProvenance", .null))
        }
        if let json: String = row[13], let card = try? JSONValue(parsing: json) {
            members.append(("card", card))
        } else {
            members.append(("card", .null))
        }
        let reputation = try clock.map {
            try ReputationSQL.reputation(chainID: UInt64(row[1] as Int64), address: row[2], clock: $0, in: db).json
        }
        members.append(("reputation", reputation ?? .null))
        return .object(members)
    }

    private static func sources(agent: Int64, in db: Database) throws -> [JSONValue] {
        try Row.fetchAll(db, sql: """
            SELECT source, kind, status, listed, block_number, block_hash, tx_hash, log_index FROM agent_source
            WHERE agent = ? ORDER BY source
            """, arguments: [agent]).map { row in
            .object([
                ("kind", .string(row[1])),
                ("address", .string(checksummed(row[0]))),
                ("status", .string(row[2])),
                ("listed", .bool(row[3])),
                ("blockNumber", .number(String(row[4] as Int64))),
                ("blockHash", .string(row[5])),
                ("transactionHash", .string(row[6])),
                ("logIndex", .number(String(row[7] as Int64))),
            ])
        }
    }

    static func checksummed(_ lowercase: String) -> String {
        (try? EthereumAddress(lowercase))?.checksummed ?? lowercase
    }
}
