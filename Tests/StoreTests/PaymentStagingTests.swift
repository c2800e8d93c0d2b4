import EthereumCore
import Foundation
import GRDB
@testable import Store
import Testing

/// A bulk batch's payments wait in `payment_staging` (``PaymentStaging``) and reach `payment`,
/// as the live path stores them, when the chain leaves bulk; writes that read or remove payments
/// meanwhile see them.
@Suite("Store: a bulk backfill's payments are staged")
struct PaymentStagingTests {
    static let token = try! EthereumAddress("0x" + String(repeating: "7", count: 40))
    static let payers = (1...3).map { try! EthereumAddress("0x" + String(repeating: "a", count: 39) + "\($0)") }

    /// A store with three factory agents (blocks 10–12) and `token` as the payment asset.
    static func store() throws -> StoreFixture {
        let fixture = try StoreFixture()
        for n in 1...3 { try fixture.createAgent(n, StoreFixture.card(name: "Agent\(n)")) }
        try fixture.store.registerChain(id: fixture.chainID, name: "test", sources: [], assets: PaymentAssets(tokens: [token]))
        return fixture
    }

    /// Block `block`'s payments: each agent is paid by a `pay()` (backed by a transfer in the same
    /// transaction), an x402 transfer, and a native payment; agent 3 by its owner.
    static func batch(_ fixture: StoreFixture, block: UInt64, bulk: Bool, reachesTarget: Bool = false) -> RangeBatch {
        var events: [ChainEvent] = []
        var transfers: [TokenTransfer] = []
        var index: UInt64 = 0
        func provenance(tx: UInt8) -> Provenance {
            defer { index += 1 }
            return Provenance(blockNumber: block, blockHash: Array(repeating: UInt8(block & 0xff), count: 32),
                              transactionHash: Array(repeating: tx, count: 32), logIndex: index)
        }
        for n in 1...3 {
            let agent = StoreFixture.address(n)
            let payer = n == 3 ? fixture.owner : payers[(n + Int(block)) % payers.count]   // the owner's payments do not count
            let base = UInt64(block) * 1_000 + UInt64(n)
            let amount = UInt256(base)
            let tx = UInt8(n)
            transfers.append(TokenTransfer(provenance: provenance(tx: tx), token: token, from: payer, to: agent, value: amount,
                                           authorized: false))
            events.append(ChainEvent(provenance: provenance(tx: tx), emitter: agent, agent: agent,
                                     payload: .paymentReceived(payer: payer, asset: token, amount: amount)))
            transfers.append(TokenTransfer(provenance: provenance(tx: tx + 10), token: token, from: payer, to: agent,
                                           value: UInt256(base + 7), authorized: true))
            events.append(ChainEvent(provenance: provenance(tx: tx + 20), emitter: agent, agent: agent,
                                     payload: .paymentReceived(payer: payer, asset: .zero, amount: amount)))
        }
        return RangeBatch(chainID: fixture.chainID, fromBlock: block, toBlock: block, events: events, transfers: transfers,
                          blocks: [BlockStamp(number: block, hash: Array(repeating: UInt8(block & 0xff), count: 32),
                                              timestamp: 1_700_000_000 + block * 12)],
                          headBlock: 100, reachesTarget: reachesTarget, bulk: bulk)
    }

    /// The payments of `blocks` as one batch (one flush of the ledger).
    static func batch(_ fixture: StoreFixture, blocks: ClosedRange<UInt64>, bulk: Bool) -> RangeBatch {
        var combined = batch(fixture, block: blocks.lowerBound, bulk: bulk)
        for block in blocks.dropFirst() {
            let next = batch(fixture, block: block, bulk: bulk)
            combined.events += next.events
            combined.transfers += next.transfers
            combined.blocks += next.blocks
            combined.toBlock = block
        }
        return combined
    }

    /// Every row of `table`'s payment columns, in key order.
    static func rows(_ fixture: StoreFixture, _ table: String = "payment") throws -> [[String]] {
        try texts(fixture, "SELECT \(PaymentStaging.columns) FROM \(table) ORDER BY chain_id, agent, block_number, log_index")
    }

    static func scores(_ fixture: StoreFixture) throws -> [[String]] {
        try texts(fixture, "SELECT address, score, last_activity_block FROM agent ORDER BY address")
    }

    static func texts(_ fixture: StoreFixture, _ sql: String) throws -> [[String]] {
        try fixture.store.read { db in
            try Row.fetchAll(db, sql: sql).map { row in (0..<row.count).map { String(describing: row[$0] as DatabaseValue) } }
        }
    }

    /// Two stores given the payments of `blocks`: one live, one in bulk.
    static func pair(_ blocks: ClosedRange<UInt64>) throws -> (live: StoreFixture, bulk: StoreFixture) {
        let live = try store(), bulk = try store()
        for block in blocks {
            try live.store.apply(batch(live, block: block, bulk: false))
            try bulk.store.apply(batch(bulk, block: block, bulk: true))
        }
        return (live, bulk)
    }

    @Test("staged while bulk, invisible in payment; merged as the live path stores them when the chain leaves bulk")
    func mergedAsLive() throws {
        let (live, bulk) = try Self.pair(20...23)
        #expect(try Self.rows(bulk).isEmpty, "nothing reaches payment while the chain is in bulk")
        #expect(try Self.rows(bulk, "payment_staging").count == 4 * 3 * 3)
        #expect(try Self.rows(live, "payment_staging").isEmpty)
        let livePayments = try Self.rows(live)
        #expect(livePayments.count == 4 * 3 * 3)
        #expect(livePayments.contains { $0[13] == "0" } && livePayments.contains { $0[13] == "1" }, "counted and excluded payments both")
        // Reputations are not counted without the staged payments: at the block before them, or refused.
        #expect(try bulk.store.snapshotPlan(chainID: bulk.chainID, atBlock: nil).atBlock == 19)
        #expect(try bulk.store.snapshotPlan(chainID: bulk.chainID, atBlock: 19).atBlock == 19)
        #expect(throws: ReputationRequestError.paymentsStaged(fromBlock: 20)) {
            try bulk.store.snapshotPlan(chainID: bulk.chainID, atBlock: 22)
        }
        let agent = AgentID(chainID: bulk.chainID, address: StoreFixture.address(1))
        #expect(try bulk.store.reputation(agent) == live.store.reputation(agent, atBlock: 19))
        #expect(try live.store.snapshotPlan(chainID: live.chainID, atBlock: nil).atBlock == 23)
        #expect(try bulk.store.status().map(\.paymentsStagedFrom) == [20] && live.store.status().map(\.paymentsStagedFrom) == [nil])

        for fixture in [live, bulk] { try fixture.store.apply(Self.batch(fixture, block: 24, bulk: false, reachesTarget: true)) }
        #expect(try Self.rows(bulk, "payment_staging").isEmpty)
        #expect(try Self.rows(bulk) == Self.rows(live))
        #expect(try Self.scores(bulk) == Self.scores(live))
        #expect(try bulk.store.snapshotPlan(chainID: bulk.chainID, atBlock: nil).atBlock == 24)
        #expect(try bulk.store.status().map(\.paymentsStagedFrom) == [nil])
        #expect(try Self.scores(live).allSatisfy { $0[1] != "NULL" })
    }

    @Test("staged with byte keys, several rows to an insert; merged as the live path's text")
    func byteKeys() throws {
        let live = try Self.store(), bulk = try Self.store()
        // 10 blocks of 9 payments in one flush: a full insert of 64 rows and one of 26.
        try live.store.apply(Self.batch(live, blocks: 20...29, bulk: false))
        try bulk.store.apply(Self.batch(bulk, blocks: 20...29, bulk: true))
        #expect(StagedPaymentWriter.rowsPerInsert < 90)
        let shapes = try Self.texts(bulk, """
            SELECT DISTINCT typeof(agent), length(agent), length(block_hash), length(tx_hash), length(payer), length(asset),
                   length(recipient), typeof(amount) FROM payment_staging
            """)
        #expect(shapes == [["\"blob\"", "20", "32", "32", "20", "20", "20", "\"text\""]])
        #expect(try Self.rows(bulk, "payment_staging").count == 90)
        for fixture in [live, bulk] { try fixture.store.apply(Self.batch(fixture, block: 30, bulk: false, reachesTarget: true)) }
        #expect(try Self.rows(bulk, "payment_staging").isEmpty)
        #expect(try Self.rows(bulk).count == 99)
        #expect(try Self.rows(bulk) == Self.rows(live))
        #expect(try Self.scores(bulk) == Self.scores(live))
    }

    @Test("an agent key is staged as bytes only when the merge gives back the same text")
    func agentKeyAsBytes() throws {
        let provenance = Provenance(blockNumber: 1, blockHash: Array(repeating: 1, count: 32), transactionHash: Array(repeating: 2, count: 32),
                                    logIndex: 0)
        func payment(_ agent: String) -> WaitingPayment {
            WaitingPayment(agent: agent, provenance: provenance, kind: "x402", payer: Self.payers[0], asset: Self.token, amount: UInt256(1),
                           recipient: Self.token, evidence: .tokenLog, claimants: 1)
        }
        let lowercase = "0x" + String(repeating: "ab", count: 20)
        #expect(payment(lowercase).agentAddress?.lowercased == lowercase)
        #expect(payment("0x" + String(repeating: "AB", count: 20)).agentAddress == nil, "upper case would come back lower")
        #expect(payment(lowercase + "/7").agentAddress == nil, "an ERC-8004 agent's key")
        #expect(payment("0x" + String(repeating: "g", count: 40)).agentAddress == nil)
    }

    @Test("rows staged as text (before byte keys) merge with those staged as bytes")
    func textRowsFromBefore() throws {
        let (live, bulk) = try Self.pair(20...21)
        try bulk.store.write { db in
            let columns = ["agent", "block_hash", "tx_hash", "payer", "asset", "recipient"]
            try db.execute(sql: "UPDATE payment_staging SET " + columns.map { "\($0) = '0x' || lower(hex(\($0)))" }.joined(separator: ", "))
        }
        #expect(try Self.texts(bulk, "SELECT DISTINCT typeof(agent), typeof(tx_hash) FROM payment_staging") == [["\"text\"", "\"text\""]])
        try live.store.apply(Self.batch(live, block: 22, bulk: false))
        try bulk.store.apply(Self.batch(bulk, block: 22, bulk: true))
        for fixture in [live, bulk] { try fixture.store.rollback(chainID: fixture.chainID, toBlock: 21) }   // reads both
        #expect(try Self.texts(bulk, "SELECT DISTINCT typeof(agent) FROM payment_staging WHERE block_number > 21").isEmpty)
        try live.store.apply(Self.batch(live, block: 22, bulk: false))
        try bulk.store.apply(Self.batch(bulk, block: 22, bulk: true))
        for fixture in [live, bulk] { try fixture.store.apply(Self.batch(fixture, block: 23, bulk: false, reachesTarget: true)) }
        #expect(try Self.rows(bulk) == Self.rows(live))
        #expect(try Self.rows(live).count == 4 * 3 * 3)
        #expect(try Self.scores(bulk) == Self.scores(live))
    }

    @Test("a rollback removes the staged payments above its ancestor")
    func rollback() throws {
        let (live, bulk) = try Self.pair(20...23)
        let summaries = try [live, bulk].map { try $0.store.rollback(chainID: $0.chainID, toBlock: 21) }
        #expect(summaries[1].rederivedAgents == summaries[0].rederivedAgents, "the staged rows name the same agents")
        #expect(summaries[1].rederivedAgents == 3)
        #expect(try Self.rows(bulk, "payment_staging").count == 2 * 3 * 3)
        for fixture in [live, bulk] { try fixture.store.apply(Self.batch(fixture, block: 22, bulk: false, reachesTarget: true)) }
        #expect(try Self.rows(bulk) == Self.rows(live))
        #expect(try Self.rows(live).count == 3 * 3 * 3)
    }

    @Test("new payment assets: staged payments are merged and classified again with the others")
    func newAssets() throws {
        let (live, bulk) = try Self.pair(20...21)
        let dust = PaymentAssets(tokens: [Self.token], dust: [Self.token: UInt256(21_002)])   // some payments become dust
        for fixture in [live, bulk] {
            try fixture.store.registerChain(id: fixture.chainID, name: "test", sources: [], assets: dust)
        }
        #expect(try Self.rows(bulk, "payment_staging").isEmpty)
        let reclassified = try Self.rows(live)
        #expect(try Self.rows(bulk) == reclassified)
        #expect(reclassified.contains { $0[14] == "\"dust\"" })
        // Still in bulk: the next bulk batch stages again, and leaving bulk merges it.
        try bulk.store.apply(Self.batch(bulk, block: 22, bulk: true))
        try live.store.apply(Self.batch(live, block: 22, bulk: false))
        #expect(try Self.rows(bulk, "payment_staging").count == 3 * 3)
        for fixture in [live, bulk] { try fixture.store.apply(Self.batch(fixture, block: 23, bulk: false)) }
        #expect(try Self.rows(bulk) == Self.rows(live))
    }

    @Test("a database made before the staging table still answers when opened read-only")
    func olderDatabase() throws {
        let (live, _) = try Self.pair(20...20)
        try live.store.write { db in try db.execute(sql: "DROP TABLE payment_staging") }
        let path = live.directory.appendingPathComponent("index.sqlite").path
        let reader = try AgentStore(path: path, readOnly: true)
        #expect(try reader.snapshotPlan(chainID: live.chainID, atBlock: nil).atBlock == 20)
    }

    @Test("a chain no longer followed mid-backfill: its staged payments are merged when its bulk ends")
    func endBulkBackfill() throws {
        let (live, bulk) = try Self.pair(20...20)
        try bulk.store.endBulkBackfill(exceptChains: [bulk.chainID])
        #expect(try Self.rows(bulk, "payment_staging").count == 3 * 3, "still followed: still staged")
        try bulk.store.endBulkBackfill(exceptChains: [])
        #expect(try Self.rows(bulk, "payment_staging").isEmpty)
        #expect(try Self.rows(bulk) == Self.rows(live))
        #expect(try bulk.store.write { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") } == 2, "the writer's notes stay in memory")
    }
}
