import EthereumCore
import GRDB
import Reputation

/// Reads one agent's reputation inputs at a block and folds them (``AgentReputation``). The
/// API, the snapshots and the stored `agent.score` all go through here, so they agree.
enum ReputationSQL {
    /// The clock of a reputation at block `n`: the newest stored header at or below `n` (every
    /// block holding a payment or rating has one, and so does the last indexed block).
    static func clock(chainID: UInt64, atBlock n: UInt64, in db: Database) throws
        -> (clock: ReputationClock, header: UInt64, hash: String)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT number, hash, timestamp FROM block WHERE chain_id = ? AND number <= ? ORDER BY number DESC LIMIT 1
            """), arguments: [Int64(chainID), Int64(clamping: n)]) else { return nil }
        return (ReputationClock(block: n, timestamp: UInt64(row[2] as Int64)), UInt64(row[0] as Int64), row[1])
    }

    /// The reputation of the agent at `address` on `chainID`, counting only rows at or below
    /// `clock.block`.
    static func reputation(chainID: UInt64, address: String, clock: ReputationClock, in db: Database) throws -> AgentReputation {
        try reputations(chainID: chainID, addresses: [address], clock: clock, in: db)[0]
    }

    /// The reputations of the agents at `addresses` (lowercase), in that order: five grouped
    /// reads for the whole list, so a snapshot costs five queries per chunk, not per agent.
    static func reputations(chainID: UInt64, addresses: [String], clock: ReputationClock,
                            in db: Database) throws -> [AgentReputation] {
        guard !addresses.isEmpty else { return [] }
        var inputs = Dictionary(addresses.map { ($0, Inputs()) }, uniquingKeysWith: { first, _ in first })
        let list = AgentList(chainID: chainID, addresses: addresses, block: clock.block)
        try list.rows(db, """
            SELECT p.agent, p.block_number, p.log_index, b.timestamp, p.payer, p.asset, p.amount, p.counted
            FROM payment p LEFT JOIN block b ON b.chain_id = p.chain_id AND b.number = p.block_number
            WHERE p.chain_id = ? AND p.agent IN (\(list.marks)) AND p.block_number <= ?
            """) { row in
            guard let payer = try? EthereumAddress(row[4] as String), let asset = try? EthereumAddress(row[5] as String),
                  let amount = UInt256(decimal: row[6] as String) else { return }
            inputs[row[0], default: Inputs()].payments.append(PaymentRecord(
                position: position(row[1], row[2]), timestamp: (row[3] as Int64?).map(UInt64.init),
                payer: payer, asset: asset, amount: amount, counted: row[7]))
        }
        try list.rows(db, """
            SELECT agent, block_number, log_index, rater, score FROM rating
            WHERE chain_id = ? AND agent IN (\(list.marks)) AND block_number <= ?
            """) { row in
            guard let rater = try? EthereumAddress(row[3] as String) else { return }
            inputs[row[0], default: Inputs()].ratings.append(
                RatingRecord(position: position(row[1], row[2]), rater: rater, score: UInt8(clamping: row[4] as Int64)))
        }
        // Life-cycle events in chain order: the last owner, `active` flag and heartbeat win.
        try list.rows(db, """
            SELECT agent, kind, owner, flag, value, block_number FROM event INDEXED BY event_by_position
            WHERE chain_id = ? AND agent IN (\(list.marks)) AND block_number <= ?
              AND (owner IS NOT NULL OR kind IN ('active', 'heartbeat'))
            ORDER BY agent, block_number, log_index
            """) { row in
            let agent: String = row[0]
            if let owner = row[2] as String? { inputs[agent, default: Inputs()].owner = owner }
            switch row[1] as String {
            case "active": inputs[agent, default: Inputs()].active = row[3] as Bool? ?? true
            case "heartbeat":
                inputs[agent, default: Inputs()].heartbeat =
                    HeartbeatRecord(block: UInt64(row[5] as Int64), timestamp: UInt64(max(0, row[4] as Int64? ?? 0)))
            default: break
            }
        }
        try list.rows(db, """
            SELECT agent, json_extract(card_json, '$.name') FROM card_version
            WHERE chain_id = ? AND agent IN (\(list.marks)) AND block_number <= ?
            ORDER BY agent, block_number, log_index
            """) { row in
            inputs[row[0], default: Inputs()].name = row[1]
        }
        return addresses.map { address in
            let input = inputs[address] ?? Inputs()
            let agentAddress = (try? EthereumAddress(address)) ?? .zero
            return AgentReputation(
                agentID: AgentID(chainID: chainID, address: agentAddress).description, chainID: chainID, address: agentAddress,
                name: input.name, owner: input.owner.flatMap { try? EthereumAddress($0) }, active: input.active,
                lastHeartbeat: input.heartbeat, metrics: ReputationMetrics(payments: input.payments, ratings: input.ratings, clock: clock),
                clock: clock)
        }
    }

    /// What the grouped reads gather for one agent.
    private struct Inputs {
        var payments: [PaymentRecord] = []
        var ratings: [RatingRecord] = []
        var owner: String?
        var active = true
        var heartbeat: HeartbeatRecord?
        var name: String?
    }

    /// The arguments shared by the grouped reads: the chain, the agents, the block.
    struct AgentList {
        var chainID: UInt64
        var addresses: [String]
        var block: UInt64

        /// `?, ?, …`: one mark per agent.
        var marks: String { Array(repeating: "?", count: addresses.count).joined(separator: ", ") }

        /// Runs `sql` (arguments: chain, the agents, the block) and hands each row to `body`.
        /// One agent's statement is cached: scores are updated one agent at a time.
        func rows(_ db: Database, _ sql: String, _ body: (Row) throws -> Void) throws {
            let statement = addresses.count == 1 ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
            var values: [DatabaseValueConvertible] = [Int64(chainID)]
            values += addresses
            values.append(Int64(clamping: block))
            let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(values))
            while let row = try cursor.next() { try body(row) }
        }
    }

    private static func position(_ block: Int64, _ logIndex: Int64) -> ChainPosition {
        ChainPosition(block: UInt64(block), logIndex: UInt64(logIndex))
    }
}
