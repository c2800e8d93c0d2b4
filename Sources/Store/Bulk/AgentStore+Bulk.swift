import GRDB

extension AgentStore {
    /// Ends the bulk backfill of every chain not in `followed`: nothing follows those any more, so
    /// they must not keep the read indexes suspended (``ReadIndexes``); the next batch that is not
    /// bulk builds them. Their staged payments move into `payment` now (``PaymentStaging``).
    /// Called when a follower group starts, holding the writer lock.
    ///
    /// ```swift
    /// try store.endBulkBackfill(exceptChains: [8453])   // chain 1 left the configuration mid-backfill
    /// ```
    public func endBulkBackfill(exceptChains followed: Set<UInt64>) throws {
        let leaving = try read { db in
            try Int64.fetchAll(db, sql: "SELECT chain_id FROM chain WHERE bulk = 1 ORDER BY chain_id")
        }.map(UInt64.init).filter { !followed.contains($0) }
        guard !leaving.isEmpty else { return }
        try pool.writeWithoutTransaction { db in
            try ReadIndexes.spilling(in: db) {
                for chainID in leaving {
                    try db.execute(sql: "UPDATE chain SET bulk = 0 WHERE chain_id = ?", arguments: [Int64(chainID)])
                    try PaymentStaging.merge(chainID: chainID, in: db)
                }
            }
        }
    }

    /// Moves the staged payments of `chainID` into `payment` now, whether or not it is in bulk
    /// (before every stored payment is classified again).
    func mergeStagedPayments(chainID: UInt64) throws {
        guard try !read({ db in try PaymentStaging.isEmpty(chainID: chainID, in: db) }) else { return }
        try pool.writeWithoutTransaction { db in
            try ReadIndexes.spilling(in: db) { try PaymentStaging.merge(chainID: chainID, in: db) }
        }
    }
}
