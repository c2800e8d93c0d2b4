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

    /// The lowest block whose stored time lies within 30 days before the clock (the clock's
    /// block + 1 when none does). A payment below it has no time within the window, whatever
    /// order the chain's timestamps come in, so its header need not be looked up. One pass over
    /// the headers: worth it for many agents, not for one.
    static func windowFloor(chainID: UInt64, clock: ReputationClock, in db: Database) throws -> UInt64 {
        let floor = try Int64.fetchOne(db, sql: """
            SELECT min(number) FROM block WHERE chain_id = ? AND number <= ? AND timestamp BETWEEN ? AND ?
            """, arguments: [Int64(chainID), Int64(clamping: clock.block),
                             Int64(clamping: clock.timestamp) - Int64(30 * ReputationMetrics.day - 1), Int64(clamping: clock.timestamp)])
        return floor.map { UInt64($0) } ?? clock.block &+ 1
    }

    /// The reputation of the agent filed under `address` (its store key) on `chainID`, counting
    /// only rows at or below `clock.block`.
    static func reputation(chainID: UInt64, address: String, clock: ReputationClock, in db: Database) throws -> AgentReputation {
        try reputations(chainID: chainID, addresses: [address], clock: clock, in: db)[0]
    }

    /// The reputations of the agents at `addresses` (lowercase), in that order: five grouped
    /// reads for the whole list, so a snapshot costs five queries per chunk. Payments are folded
    /// in one pass over an index (``PaymentFold``), ratings are counted by SQLite. The metrics
    /// mean what ``ReputationMetrics/init(payments:ratings:clock:)`` says; a test holds the two
    /// together.
    ///
    /// `contiguous`: `addresses` are sorted and every agent between the first and the last that
    /// matters is in the list, so rows are read by key range instead of one lookup per agent.
    ///
    /// `windowFloor`: a block below which no payment falls in the 30-day window
    /// (``windowFloor(chainID:clock:in:)``; 0 looks up the time of every counted payment).
    static func reputations(chainID: UInt64, addresses: [String], clock: ReputationClock, windowFloor: UInt64 = 0,
                            contiguous: Bool = false, in db: Database) throws -> [AgentReputation] {
        guard !addresses.isEmpty else { return [] }
        var inputs = Dictionary(addresses.map { ($0, Inputs()) }, uniquingKeysWith: { first, _ in first })
        let list = AgentList(chainID: chainID, addresses: addresses, block: clock.block, windowFloor: windowFloor,
                             contiguous: contiguous)
        let byPayer = try ReadIndexes.indexedBy("payment_by_payer", in: db)
        var fold = PaymentFold(clock: clock)
        try list.statementRows(db, PaymentFold.sql(list, byPayer: byPayer)) { fold.add($0) }
        let totals = fold.finish()
        let times = try blockTimes(Set(totals.values.flatMap { [$0.firstBlock, $0.lastBlock].compactMap { $0 } }),
                                   chainID: chainID, in: db)
        for (agent, total) in totals {
            var metrics = total.metrics
            metrics.firstPayment = total.firstBlock.map { ReputationMetrics.Moment(block: UInt64($0), timestamp: times[$0]) }
            metrics.lastPayment = total.lastBlock.map { ReputationMetrics.Moment(block: UInt64($0), timestamp: times[$0]) }
            inputs[agent, default: Inputs()].metrics = metrics
        }
        try list.rows(db, ratings(list, byPayer: byPayer)) { row in
            inputs[row[0], default: Inputs()].metrics.ratings = row[1]
            inputs[row[0], default: Inputs()].metrics.ratingSum = row[2]
            inputs[row[0], default: Inputs()].metrics.verifiedRatings = row[3]
            inputs[row[0], default: Inputs()].metrics.verifiedRatingSum = row[4]
        }
        try list.rows(db, feedback(list, byPayer: byPayer, byAgent: ReadIndexes.indexedBy("feedback_agent", in: db))) { row in
            let agent: String = row[0]
            if row[5] as Bool {
                inputs[agent, default: Inputs()].metrics.revokedFeedback += 1
                return
            }
            let value = FeedbackValue(raw: Int256(decimal: row[1] as String) ?? Int256(0), decimals: UInt8(clamping: row[2] as Int64))
            inputs[agent, default: Inputs()].metrics.add(feedback: value, tags: [row[3], row[4]], verified: row[6])
        }
        // Life-cycle events in chain order: the last owner, `active` flag and heartbeat win.
        try list.rows(db, """
            SELECT agent, kind, owner, flag, value, block_number FROM event INDEXED BY event_by_position
            WHERE chain_id = ?1 AND \(list.agents("agent")) AND block_number <= ?2
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
            SELECT agent, name FROM card_version \(try ReadIndexes.indexedBy("card_version_position", in: db))
            WHERE chain_id = ?1 AND \(list.agents("agent")) AND block_number <= ?2
            ORDER BY agent, block_number, log_index
            """) { row in
            inputs[row[0], default: Inputs()].name = row[1]
        }
        return addresses.map { key in
            let input = inputs[key] ?? Inputs()
            let token = TokenAgent(storeKey: key)
            let address = token == nil ? (try? EthereumAddress(key)) ?? .zero : nil
            let id = token.map { AgentID(chainID: chainID, token: $0) } ?? AgentID(chainID: chainID, address: address ?? .zero)
            return AgentReputation(
                agentID: id.description, chainID: chainID, address: address, registry: token?.registry, tokenID: token?.tokenID,
                name: input.name, owner: input.owner.flatMap { try? EthereumAddress($0) }, active: input.active,
                lastHeartbeat: input.heartbeat, metrics: input.metrics, clock: clock)
        }
    }

    /// The stored time of each block in `numbers`, one read for the lot.
    private static func blockTimes(_ numbers: Set<Int64>, chainID: UInt64, in db: Database) throws -> [Int64: UInt64] {
        guard !numbers.isEmpty else { return [:] }
        var times: [Int64: UInt64] = [:]
        let marks = Array(repeating: "?", count: numbers.count).joined(separator: ", ")
        let rows = try Row.fetchCursor(db, sql: "SELECT number, timestamp FROM block WHERE chain_id = ? AND number IN (\(marks))",
                                       arguments: StatementArguments([Int64(chainID)] + Array(numbers)))
        while let row = try rows.next() { times[row[0]] = UInt64(max(0, row[1] as Int64)) }
        return times
    }

    /// Per agent: ratings scored 1…5 and their sum, and the verified ones (the rater paid the
    /// agent, counted, strictly before the rating) and their sum: one index lookup per rating.
    private static func ratings(_ list: AgentList, byPayer: String) -> String {
        """
        SELECT agent, count(*), sum(score), count(*) FILTER (WHERE verified), coalesce(sum(score) FILTER (WHERE verified), 0)
        FROM (
            SELECT r.agent, r.score, EXISTS (
                SELECT 1 FROM payment q \(byPayer)
                WHERE q.chain_id = ?1 AND q.agent = r.agent AND q.payer = r.rater AND q.counted = 1
                  AND q.block_number <= r.block_number AND (q.block_number < r.block_number OR q.log_index < r.log_index)
            ) AS verified
            FROM rating r
            WHERE r.chain_id = ?1 AND \(list.agents("r.agent")) AND r.block_number <= ?2 AND r.score BETWEEN 1 AND 5)
        GROUP BY agent
        """
    }

    /// Per agent, in chain order: each ERC-8004 feedback at or below the block with its value,
    /// tags, whether it was revoked at or below the block, and whether it is verified (the client
    /// paid the agent, counted, strictly before it: one index lookup, as for ratings).
    private static func feedback(_ list: AgentList, byPayer: String, byAgent: String) -> String {
        """
        SELECT f.agent, f.value, f.value_decimals, f.tag1, f.tag2,
               EXISTS (SELECT 1 FROM feedback_revocation v INDEXED BY feedback_revocation_feedback
                       WHERE v.chain_id = ?1 AND v.agent = f.agent AND v.client = f.client
                         AND v.feedback_index = f.feedback_index AND v.block_number <= ?2) AS revoked,
               EXISTS (SELECT 1 FROM payment q \(byPayer)
                       WHERE q.chain_id = ?1 AND q.agent = f.agent AND q.payer = f.client AND q.counted = 1
                         AND q.block_number <= f.block_number AND (q.block_number < f.block_number OR q.log_index < f.log_index)
               ) AS verified
        FROM feedback f \(byAgent)
        WHERE f.chain_id = ?1 AND \(list.agents("f.agent")) AND f.block_number <= ?2
        ORDER BY f.agent, f.block_number, f.log_index
        """
    }

    /// What the grouped reads gather for one agent.
    private struct Inputs {
        var metrics = ReputationMetrics()
        var owner: String?
        var active = true
        var heartbeat: HeartbeatRecord?
        var name: String?
    }

    /// The arguments shared by the grouped reads: `?1` the chain, `?2` the block, `?3` the window
    /// floor (``windowFloor(chainID:clock:in:)``), then the agents (`?4…`, or the first and last
    /// of a contiguous list).
    struct AgentList {
        var chainID: UInt64
        var addresses: [String]
        var block: UInt64
        var windowFloor: UInt64 = 0
        var contiguous = false

        /// The condition that `column` is one of the agents.
        func agents(_ column: String) -> String {
            if contiguous { return "\(column) BETWEEN ?4 AND ?5" }
            return "\(column) IN (" + (4..<(4 + slots)).map { "?\($0)" }.joined(separator: ", ") + ")"
        }

        /// The list's length rounded up to a power of two; the slots past the agents are bound to
        /// NULL, which matches nothing. A query then has at most nine texts (1…256 agents), each
        /// prepared once: preparing 256 numbered parameters anew for every group of a backfill's
        /// final scoring cost more than running the query.
        private var slots: Int {
            addresses.count <= 1 ? 1 : 1 << (Int.bitWidth - (addresses.count - 1).leadingZeroBitCount)
        }

        /// Runs `sql` and hands each row to `body`.
        func rows(_ db: Database, _ sql: String, _ body: (Row) throws -> Void) throws {
            let cursor = try Row.fetchCursor(statement(db, sql), arguments: arguments)
            while let row = try cursor.next() { try body(row) }
        }

        /// Runs `sql` and hands `body` the SQLite statement standing on each row, for reading
        /// columns in place (``PaymentFold``).
        func statementRows(_ db: Database, _ sql: String, _ body: (SQLiteStatement) throws -> Void) throws {
            let statement = try statement(db, sql)
            let cursor = try Row.fetchCursor(statement, arguments: arguments)
            while try cursor.next() != nil { try body(statement.sqliteStatement) }
        }

        /// Statements are cached: their texts depend only on ``slots``.
        private func statement(_ db: Database, _ sql: String) throws -> Statement {
            try db.cachedStatement(sql: sql)
        }

        private var arguments: StatementArguments {
            var values: [DatabaseValueConvertible?] = [Int64(chainID), Int64(clamping: block), Int64(clamping: windowFloor)]
            if contiguous {
                values += [addresses.first!, addresses.last!]
            } else {
                values += addresses
                values += [DatabaseValueConvertible?](repeating: nil, count: slots - addresses.count)
            }
            return StatementArguments(values)
        }
    }
}
