import AgentCards
import EthereumCore
import Testing
@testable import Store

@Suite("Store: rollback after a reorg")
struct StoreRollbackTests {
    @Test("rolling back undoes the blocks above the ancestor: new agents vanish, updated cards and delistings revert")
    func rollbackRestoresTheAncestorState() throws {
        let fixture = try StoreFixture()
        try fixture.createAgent(1, StoreFixture.card(name: "Alpha"))            // block 10
        try fixture.createAgent(2, StoreFixture.card(name: "Bravo"))            // block 11
        let ancestor: UInt64 = 11
        let before = try fixture.store.search(AgentQuery()).agents.map(\.summaryJSON)

        let alpha = StoreFixture.address(1)
        let renamed = StoreFixture.card(name: "Alpha Prime")
        try fixture.block([(alpha, alpha, .card(CardVersion(origin: .log, raw: renamed.abiEncoded(), outcome: .success(renamed)),
                                                owner: fixture.owner))])                       // block 12
        try fixture.createAgent(3, StoreFixture.card(name: "Charlie"))          // block 13
        try fixture.block([(StoreFixture.address(2), StoreFixture.address(2), .activeChanged(false))])   // block 14
        #expect(try fixture.names(AgentQuery()) == ["Alpha Prime", "Charlie"])

        let summary = try fixture.store.rollback(chainID: fixture.chainID, toBlock: ancestor)
        #expect(summary.depth == 3)
        #expect(summary.removedAgents == 1)
        #expect(summary.rederivedAgents == 2)
        #expect(try fixture.store.cursor(chainID: fixture.chainID) == ancestor)
        #expect(try fixture.store.search(AgentQuery()).agents.map(\.summaryJSON) == before)
        #expect(try fixture.names(AgentQuery(text: "prime")).isEmpty, "the FTS row follows the card back")
        #expect(try fixture.store.agentRecord(AgentID(chainID: fixture.chainID, address: StoreFixture.address(3))) == nil)
        let record = try #require(try fixture.store.agentRecord(AgentID(chainID: fixture.chainID, address: alpha)))
        #expect(record["cardVersions"] == .number("1"))
    }

    @Test("block links are stored with a range and pruned below the finalized block")
    func links() throws {
        let fixture = try StoreFixture()
        func link(_ n: UInt64) -> BlockLink {
            BlockLink(number: n, hash: Array(repeating: UInt8(n), count: 32), parentHash: Array(repeating: UInt8(n - 1), count: 32))
        }
        try fixture.store.apply(RangeBatch(chainID: fixture.chainID, fromBlock: 1, toBlock: 5, events: [], headBlock: 5,
                                           links: (1...5).map(link), finalizedBlock: 3))
        #expect(try fixture.store.blockLinks(chainID: fixture.chainID).map(\.number) == [5, 4, 3])
        #expect(try fixture.store.blockHash(chainID: fixture.chainID, number: 4) == Array(repeating: 4, count: 32))
        try fixture.store.rollback(chainID: fixture.chainID, toBlock: 3)
        #expect(try fixture.store.blockLinks(chainID: fixture.chainID).map(\.number) == [3])
    }
}
