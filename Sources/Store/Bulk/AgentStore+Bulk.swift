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
        let chains = followed.map { Int64($0) }
        try write { db in
            try db.execute(sql: "UPDATE chain SET bulk = 0 WHERE bulk = 1 AND chain_id NOT IN (\(chains.map { _ in "?" }.joined(separator: ", ")))",
                           arguments: StatementArguments(chains))
        }
    }
}
