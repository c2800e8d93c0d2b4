import GRDB

extension AgentStore {
    /// Ends the bulk backfill of every chain not in `followed`: nothing follows those any more, so
    /// they must not keep the read indexes suspended (``ReadIndexes``); the next batch that is not
    /// bulk builds them. Called when a follower group starts, holding the writer lock.
    ///
    /// ```swift
    /// try store.endBulkBackfill(exceptChains: [8453])   // chain 1 left the configuration mid-backfill
    /// ```
    public func endBulkBackfill(exceptChains followed: Set<UInt64>) throws {
        try write { db in
            for chain in try Int64.fetchAll(db, sql: "SELECT chain_id FROM chain WHERE bulk = 1") where !followed.contains(UInt64(chain)) {
                try db.execute(sql: "UPDATE chain SET bulk = 0 WHERE chain_id = ?", arguments: [chain])
            }
        }
    }
}
