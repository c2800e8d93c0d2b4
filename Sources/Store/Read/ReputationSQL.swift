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
        let chain = Int64(chainID)
        let n = Int64(clamping: clock.block)
        let arguments: StatementArguments = [chain, address, n]
        let payments = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT p.block_number, p.log_index, b.timestamp, p.payer, p.asset, p.amount, p.counted
            FROM payment p LEFT JOIN block b ON b.chain_id = p.chain_id AND b.number = p.block_number
            WHERE p.chain_id = ? AND p.agent = ? AND p.block_number <= ?
            """), arguments: arguments).compactMap { row -> PaymentRecord? in
            guard let payer = try? EthereumAddress(row[3] as String), let asset = try? EthereumAddress(row[4] as String),
                  let amount = UInt256(decimal: row[5] as String) else { return nil }
            return PaymentRecord(position: position(row[0], row[1]), timestamp: (row[2] as Int64?).map(UInt64.init),
                                 payer: payer, asset: asset, amount: amount, counted: row[6])
        }
        let ratings = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT block_number, log_index, rater, score FROM rating WHERE chain_id = ? AND agent = ? AND block_number <= ?
            """), arguments: arguments).compactMap { row -> RatingRecord? in
            guard let rater = try? EthereumAddress(row[2] as String) else { return nil }
            return RatingRecord(position: position(row[0], row[1]), rater: rater, score: UInt8(clamping: row[3] as Int64))
        }
        let owner = try String.fetchOne(db.cachedStatement(sql: """
            SELECT owner FROM event INDEXED BY event_by_position WHERE chain_id = ? AND agent = ? AND owner IS NOT NULL AND block_number <= ?
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: arguments)
        let active = try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT flag FROM event INDEXED BY event_by_position WHERE chain_id = ? AND agent = ? AND kind = 'active' AND block_number <= ?
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: arguments) ?? true
        let heartbeat = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT block_number, value FROM event INDEXED BY event_by_position WHERE chain_id = ? AND agent = ? AND kind = 'heartbeat' AND block_number <= ?
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: arguments).map { HeartbeatRecord(block: UInt64($0[0] as Int64), timestamp: UInt64(max(0, $0[1] as Int64))) }
        let name = try String.fetchOne(db.cachedStatement(sql: """
            SELECT json_extract(card_json, '$.name') FROM card_version WHERE chain_id = ? AND agent = ? AND block_number <= ?
            ORDER BY block_number DESC, log_index DESC LIMIT 1
            """), arguments: arguments)
        let agentAddress = (try? EthereumAddress(address)) ?? .zero
        return AgentReputation(
            agentID: AgentID(chainID: chainID, address: agentAddress).description, chainID: chainID, address: agentAddress,
            name: name, owner: owner.flatMap { try? EthereumAddress($0) }, active: active, lastHeartbeat: heartbeat,
            metrics: ReputationMetrics(payments: payments, ratings: ratings, clock: clock), clock: clock)
    }

    private static func position(_ block: Int64, _ logIndex: Int64) -> ChainPosition {
        ChainPosition(block: UInt64(block), logIndex: UInt64(logIndex))
    }
}
