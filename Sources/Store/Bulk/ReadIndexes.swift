import GRDB

/// Secondary indexes that only the API's reads use, suspended while a chain is backfilled in
/// bulk and built again, each in one sorted pass, once no chain is.
///
/// A backfill inserts payments, card versions and feedback at random places in indexes keyed by
/// agent; an index no write reads costs a random page write per row and nothing else until the
/// API asks. Built after the rows are in, each is one sort (100k agents: the backfill's
/// commits take about a fifth less CPU with them suspended).
///
/// The state is in the database, changed inside a transaction, so a crash at any moment leaves
/// either the indexes or their definitions:
/// - `chain.bulk`: the chains whose last batch was bulk (``RangeBatch/bulk``).
/// - `suspended_index`: the name and `CREATE INDEX` statement of each index dropped.
///
/// Indexes are dropped by the first bulk batch of any chain. The first batch that is not bulk
/// builds them, in a transaction of its own just before its own, once no other chain is in bulk.
/// A read that names one of them (`INDEXED BY`) names it through ``indexedBy(_:in:)``, so it
/// still answers (by another index) meanwhile.
///
/// ```swift
/// try ReadIndexes.suspend(chainID: 8453, in: db)   // a bulk batch of chain 8453
/// try ReadIndexes.resume(chainID: 8453, in: db)    // before its first batch near the head: built again
/// let sql = "SELECT … FROM payment p \(try ReadIndexes.indexedBy("payment_by_payer", in: db)) WHERE …"
/// ```
enum ReadIndexes {
    /// The indexes suspended: keyed by agent (random writes), read by the API and by scoring,
    /// never by a write path below the head (scores wait for the target, ``RangeBatch/reachesTarget``).
    /// So is `payment_block`, which only a rollback and a payee refresh read: a bulk batch's
    /// payments are staged (``PaymentStaging``) and reach `payment` in agent order, a random
    /// place in it each. The indexes writes read (`event_by_position`, `card_term_pay_to`,
    /// `agent_wallet_*`, the `*_agent` ones derivation deletes by) stay.
    static let names: [String] = [
        "payment_by_payer", "payment_block", "card_version_position", "feedback_agent", "feedback_client",
        "agent_owner", "agent_discovered", "agent_skill_id", "agent_skill_name", "agent_payment_pay_to",
    ]

    /// Marks `chainID` as backfilled in bulk and drops the indexes of ``names`` still present,
    /// keeping their statements.
    static func suspend(chainID: UInt64, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE chain SET bulk = 1 WHERE chain_id = ? AND bulk = 0").execute(arguments: [Int64(chainID)])
        let marks = names.map { _ in "?" }.joined(separator: ", ")
        let present = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN (\(marks))
            """), arguments: StatementArguments(names))
        for row in present {
            let name: String = row[0]
            try db.execute(sql: "INSERT OR REPLACE INTO suspended_index (name, sql) VALUES (?, ?)", arguments: [name, row[1] as String])
            try db.execute(sql: "DROP INDEX \(name)")
        }
    }

    /// Marks `chainID` as no longer in bulk, moves its staged payments into `payment`
    /// (``PaymentStaging``) and, when no chain is in bulk, builds every suspended index; does
    /// nothing (one read) when neither is due. Runs outside a transaction, before the batch's, with
    /// its sorts spilling to a file (``spilling(in:_:)``).
    static func resume(chainID: UInt64, in db: Database) throws {
        let chain = Int64(chainID)
        let inBulk = try Bool.fetchOne(db.cachedStatement(sql: "SELECT bulk = 1 FROM chain WHERE chain_id = ?"), arguments: [chain]) ?? false
        let othersInBulk = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM chain WHERE bulk = 1 AND chain_id <> ?)"),
                                             arguments: [chain]) ?? false
        let build = try !othersInBulk && Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM suspended_index)")) == true
        guard inBulk || build else { return }
        try spilling(in: db) {
            try db.execute(sql: "UPDATE chain SET bulk = 0 WHERE chain_id = ?", arguments: [chain])
            if inBulk { try PaymentStaging.merge(chainID: chainID, in: db) }
            if build { try buildAll(in: db) }
        }
    }

    /// Runs `body` in a transaction whose sorts spill to a temporary file, with an 8 MiB page cache:
    /// `temp_store = MEMORY` (which the change feed's notes use) would hold a whole index or every
    /// staged payment (+155 MB for `payment_by_payer` at 100k agents). Switching it drops the
    /// connection's TEMP objects, so ``ChangeCapture`` installs them again after; `body`'s writes
    /// note no change (the agents concerned are scored, and noted, when their chain reaches its target).
    static func spilling(in db: Database, _ body: () throws -> Void) throws {
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        func settle() throws {
            try db.execute(sql: "PRAGMA cache_size = \(cacheSize)")
            try ChangeCapture.install(db)
        }
        try db.execute(sql: "PRAGMA temp_store = FILE; PRAGMA cache_size = -8192")
        do {
            try db.inTransaction {
                try body()
                return .commit
            }
        } catch {
            try settle()
            throw error
        }
        try settle()
    }

    /// Builds every suspended index, whatever the chains' state (before a migration, which may
    /// name them).
    static func buildAll(in db: Database) throws {
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT name, sql FROM suspended_index ORDER BY name")) {
            try db.execute(sql: row[1] as String)
            try db.execute(sql: "DELETE FROM suspended_index WHERE name = ?", arguments: [row[0] as String])
        }
    }

    /// `INDEXED BY name` while the index exists, else nothing (the planner picks another).
    static func indexedBy(_ name: String, in db: Database) throws -> String {
        let exists = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?)"),
                                       arguments: [name]) ?? false
        return exists ? "INDEXED BY \(name)" : ""
    }

    /// The names of the indexes suspended now, in name order.
    static func suspended(in db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM suspended_index ORDER BY name")
    }
}
