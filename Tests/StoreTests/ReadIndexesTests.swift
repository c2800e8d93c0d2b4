import EthereumCore
import Foundation
import GRDB
@testable import Store
import Testing

/// While a chain is backfilled in bulk the read indexes are dropped (``ReadIndexes``): every read
/// that names one still answers the same, and they come back, as they were, once no chain is in bulk.
@Suite("Store: read indexes suspended during a bulk backfill")
struct ReadIndexesTests {
    /// The `CREATE INDEX` statements of the suspendable indexes present now, by name.
    static func statements(_ store: AgentStore) throws -> [String: String] {
        try store.read { db in
            let marks = ReadIndexes.names.map { _ in "?" }.joined(separator: ", ")
            let rows = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN (\(marks))",
                                        arguments: StatementArguments(ReadIndexes.names))
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as String, $0[1] as String) })
        }
    }

    func batch(_ chainID: UInt64, block: UInt64, bulk: Bool, reachesTarget: Bool = false) -> RangeBatch {
        RangeBatch(chainID: chainID, fromBlock: block, toBlock: block, events: [], headBlock: block, reachesTarget: reachesTarget,
                   bulk: bulk)
    }

    @Test("suspended: reputations and feedback read the same; back as they were when no chain is in bulk")
    func suspendAndResume() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let history = try ReputationSQLTests.write(seed: 4, into: fixture)
        let agents = ReputationSQLTests.agents.sorted()
        let clock = ReputationSQLTests.clock
        let paid = try EthereumAddress(agents[0])
        try store.write { db in   // the agent the feedback is about, as the follower would have stored it
            try db.execute(sql: "INSERT INTO agent (chain_id, address, agent_id, discovered_block) VALUES (?, ?, ?, 1)",
                           arguments: [Int64(fixture.chainID), agents[0], AgentID(chainID: fixture.chainID, address: paid).description])
        }
        let before = try Self.statements(store)
        #expect(Set(before.keys) == Set(ReadIndexes.names))
        let feedbackBefore = try store.feedback(AgentID(chainID: fixture.chainID, address: paid),
                                                limit: 500, cursor: nil)
        try store.registerChain(id: 1, name: "second", sources: [SourceConfig(address: fixture.factory, kind: .factory, startBlock: 1)])

        try store.apply(batch(fixture.chainID, block: 301, bulk: true))
        #expect(try Self.statements(store).isEmpty)
        #expect(try store.read { db in try ReadIndexes.suspended(in: db) } == ReadIndexes.names.sorted())
        for contiguous in [false, true] {
            let reputations = try store.read { db in
                try ReputationSQL.reputations(chainID: fixture.chainID, addresses: agents, clock: clock, contiguous: contiguous, in: db)
            }
            for (agent, reputation) in zip(agents, reputations) {
                #expect(reputation.metrics == history.metrics(agent, at: clock), "agent \(agent), contiguous \(contiguous)")
            }
        }
        let feedbackDuring = try store.feedback(AgentID(chainID: fixture.chainID, address: paid),
                                                limit: 500, cursor: nil)
        #expect(feedbackDuring?.items.count ?? 0 > 0)
        #expect(feedbackDuring?.items == feedbackBefore?.items)

        // Another chain in bulk keeps them suspended when the first leaves it; the last one out builds them.
        try store.apply(batch(1, block: 5, bulk: true))
        try store.apply(batch(fixture.chainID, block: 302, bulk: false))
        #expect(try Self.statements(store).isEmpty)
        try store.apply(batch(1, block: 6, bulk: true, reachesTarget: true))   // the target is never bulk
        #expect(try Self.statements(store) == before)

        // A chain no longer followed does not hold them suspended.
        try store.apply(batch(1, block: 7, bulk: true))
        try store.endBulkBackfill(exceptChains: [fixture.chainID, 5])
        #expect(try Self.statements(store).isEmpty, "built by the next batch, not by the release")
        try store.apply(batch(fixture.chainID, block: 303, bulk: false))
        #expect(try Self.statements(store) == before)
        #expect(try store.read { db in try ReadIndexes.suspended(in: db) }.isEmpty)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM chain WHERE bulk = 1") } == 0)

        // Building them switched the writer's temporary storage, which drops its TEMP triggers:
        // the change feed must still see the next write.
        let seq = try store.feedPosition().lastSeq
        try fixture.createAgent(999, StoreFixture.card(name: "After"))
        #expect(try store.changes(since: seq, limit: 10).contains { $0.kind == "agent-added" })
        #expect(try store.write { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") } == 2, "the writer's notes stay in memory")
        #expect(try store.write { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") } == -32768, "the writer's page cache is whole again")
    }

    @Test("a store opened while indexes are suspended keeps them suspended; a failed bulk batch suspends nothing")
    func survivesReopenAndRollback() throws {
        let fixture = try StoreFixture()
        try fixture.store.apply(batch(fixture.chainID, block: 11, bulk: true))
        let reopened = try AgentStore(path: fixture.directory.appendingPathComponent("index.sqlite").path)
        #expect(try reopened.read { db in try ReadIndexes.suspended(in: db) } == ReadIndexes.names.sorted())
        try reopened.apply(batch(fixture.chainID, block: 12, bulk: false))
        #expect(try Self.statements(reopened).count == ReadIndexes.names.count)

        // A batch that fails after suspending (an agent key the store refuses) leaves the indexes.
        var failing = batch(fixture.chainID, block: 13, bulk: true)
        failing.blocks = [BlockStamp(number: 13, hash: [], timestamp: 0)]
        try reopened.write { db in try db.execute(sql: "CREATE TEMP TRIGGER refuse BEFORE INSERT ON block BEGIN SELECT RAISE(ABORT, 'refused'); END") }
        #expect(throws: (any Error).self) { try reopened.apply(failing) }
        #expect(try Self.statements(reopened).count == ReadIndexes.names.count)
        #expect(try reopened.read { db in try ReadIndexes.suspended(in: db) }.isEmpty)
    }
}
