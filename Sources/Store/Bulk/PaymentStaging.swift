import GRDB

/// The payments of a bulk backfill, appended in chain order to `payment_staging` (no key, no
/// index) and moved into `payment` in one sorted pass when the chain leaves bulk.
///
/// `payment` is keyed by agent, so each payment of a range lands on a random page of it and of
/// `payment_block`: at 100k agents nearly every range dirtied a page per payment, which went
/// through the write-ahead log and the checkpoint, and was read back past the page cache.
/// Appended in chain order, staged payments fill pages one after another; sorted by key once,
/// they fill `payment`'s pages in order (100k chain, payments' phase: ≈ 111 → ≈ 65 s before the
/// merge).
///
/// The staged rows are committed with the batch that found them, so a crash loses or doubles
/// nothing; they are what `payment` would hold, classified the same (``PaymentLedger``). Until the
/// merge the API does not see them: an agent's payments and reputation show them once its chain
/// has caught up (its score waits for that anyway, ``RangeBatch/reachesTarget``). Writes that read
/// or remove payments meanwhile see them: a rollback removes the staged payments above its ancestor,
/// a payee refresh those it attributes again, and new payment assets merge them before classifying
/// every payment again.
///
/// ```swift
/// try ReadIndexes.spilling(in: db) { try PaymentStaging.merge(chainID: 8453, in: db) }   // leaving bulk
/// ```
enum PaymentStaging {
    /// The columns `payment` and `payment_staging` share.
    static let columns = """
        chain_id, agent, block_number, log_index, block_hash, tx_hash, kind, payer, asset, amount, recipient, evidence,
        claimants, counted, reason
        """

    /// Whether `chainID` has staged payments.
    static func isEmpty(chainID: UInt64, in db: Database) throws -> Bool {
        try !(Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM payment_staging WHERE chain_id = ?)"),
                            arguments: [Int64(chainID)]) ?? false)
    }

    /// Moves the staged payments of `chainID` into `payment`, in key order (a later row for the
    /// same key replaces an earlier one, as in `payment`). The sort holds every staged row: run it
    /// where the temporary store is a file (``ReadIndexes/spilling(in:_:)``).
    static func merge(chainID: UInt64, in db: Database) throws {
        let chain = Int64(chainID)
        try db.execute(sql: """
            INSERT OR REPLACE INTO payment (\(columns))
            SELECT \(columns) FROM payment_staging WHERE chain_id = ? ORDER BY agent, block_number, log_index, rowid
            """, arguments: [chain])
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM payment_staging WHERE chain_id <> ?)", arguments: [chain]) == true {
            try db.execute(sql: "DELETE FROM payment_staging WHERE chain_id = ?", arguments: [chain])
        } else {
            try db.execute(sql: "DELETE FROM payment_staging")   // SQLite drops the pages at once
        }
    }
}
