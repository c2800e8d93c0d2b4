import Foundation
import GRDB

/// The payments of a bulk backfill, appended in chain order to `payment_staging` (no key, no
/// index; hashes and addresses as bytes, several rows per insert: ``StagedPaymentWriter``) and
/// moved into `payment`, as text again, in one sorted pass when the chain leaves bulk.
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
/// merge the API's payment lists do not show them; reputations and snapshots are computed at the
/// block before the first staged one unless a block is asked for, and one at or above it is
/// refused (``ReputationRequestError/paymentsStaged(fromBlock:)``) rather than counted without
/// them; scores wait for the target anyway (``RangeBatch/reachesTarget``). Writes that read
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
        try firstBlock(chainID: chainID, in: db) == nil
    }

    /// The block of the first payment of `chainID` still staged, nil when none is: every payment
    /// below it is in `payment`. Rows are appended in chain order and removed only from the top
    /// (a rollback) or for one payee (whose payments a refresh writes to `payment`), so the first
    /// row is the lowest; finding it reads no more than the rows of other chains before it. Nil in
    /// a database made before the table (opened read-only, so not migrated).
    static func firstBlock(chainID: UInt64, in db: Database) throws -> UInt64? {
        guard try db.tableExists("payment_staging") else { return nil }
        return try Int64.fetchOne(db.cachedStatement(sql: "SELECT block_number FROM payment_staging WHERE chain_id = ? ORDER BY rowid LIMIT 1"),
                           arguments: [Int64(chainID)]).map { UInt64($0) }
    }

    /// The columns staged as bytes (``StagedPaymentWriter``); `agent` only when it is an address.
    static let byteColumns: Set<String> = ["agent", "block_hash", "tx_hash", "payer", "asset", "recipient"]

    /// SQL for the `0x…` text of a staged `column`: bytes as lowercase hex, text (an ERC-8004
    /// agent's key, or a row staged before keys were bytes) as it is.
    static func text(_ column: String) -> String {
        "CASE WHEN typeof(\(column)) = 'blob' THEN '0x' || lower(hex(\(column))) ELSE \(column) END"
    }

    /// `columns` as `payment` holds them: each byte column as text.
    static let textColumns = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        .map { byteColumns.contains($0) ? text($0) : $0 }.joined(separator: ", ")

    /// Moves the staged payments of `chainID` into `payment`, in key order (a later row for the
    /// same key replaces an earlier one, as in `payment`): the byte keys sort as their hex does.
    /// The sort holds every staged row: run it where the temporary store is a file
    /// (``ReadIndexes/spilling(in:_:)``).
    static func merge(chainID: UInt64, in db: Database) throws {
        let chain = Int64(chainID)
        try db.execute(sql: """
            INSERT OR REPLACE INTO payment (\(columns))
            SELECT \(textColumns) FROM payment_staging WHERE chain_id = ? ORDER BY agent, block_number, log_index, rowid
            """, arguments: [chain])
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM payment_staging WHERE chain_id <> ?)", arguments: [chain]) == true {
            try db.execute(sql: "DELETE FROM payment_staging WHERE chain_id = ?", arguments: [chain])
        } else {
            try db.execute(sql: "DELETE FROM payment_staging")   // SQLite drops the pages at once
        }
    }
}
