import AgentCards
import EthereumCore
import Testing
@testable import Store

@Suite("Store: derived state")
struct StoreDerivationTests {
    @Test("curated registry: listed only while approved")
    func curatedListing() throws {
        let fixture = try StoreFixture()
        let agent = StoreFixture.address(9)
        let card = StoreFixture.card(name: "Curated")
        let registry = fixture.curatedRegistry
        try fixture.block([(agent, registry, .registered(registry: registry, owner: fixture.owner)),
                           (agent, agent, .card(CardVersion(origin: .call, raw: card.abiEncoded(), outcome: .success(card)), owner: nil))])
        #expect(try fixture.names(AgentQuery()).isEmpty, "pending")
        try fixture.block([(agent, registry, .approved(registry: registry))])
        #expect(try fixture.names(AgentQuery()) == ["Curated"])
        try fixture.block([(agent, registry, .revoked(registry: registry))])
        #expect(try fixture.names(AgentQuery()).isEmpty, "revoked")
        let record = try #require(try fixture.store.agentRecord(AgentID(chainID: fixture.chainID, address: agent)))
        #expect(record["sources"]?.arrayValue?.first?["status"]?.stringValue == "revoked")
        #expect(record["cardProvenance"]?["origin"]?.stringValue == "call")
    }

    @Test("the latest card wins, history is kept, an invalid latest card makes the agent unsearchable")
    func cardHistory() throws {
        let fixture = try StoreFixture()
        let agent = StoreFixture.address(1)
        try fixture.createAgent(1, StoreFixture.card(name: "First"))
        let second = StoreFixture.card(name: "Second")
        try fixture.block([(agent, agent, .card(CardVersion(origin: .log, raw: second.abiEncoded(), outcome: .success(second)), owner: fixture.owner))])
        #expect(try fixture.names(AgentQuery(text: "first")).isEmpty)
        #expect(try fixture.names(AgentQuery(text: "second")) == ["Second"])

        try fixture.block([(agent, agent, .card(CardVersion(origin: .log, raw: [1, 2, 3], outcome: .failure(CardRejection("garbage"))), owner: fixture.owner))])
        #expect(try fixture.names(AgentQuery()).isEmpty)
        let id = AgentID(chainID: fixture.chainID, address: agent)
        let record = try #require(try fixture.store.agentRecord(id))
        #expect(record["cardVersions"] == .number("3"))
        #expect(record["invalidReason"]?.stringValue == "garbage")
        guard case .invalid(let reason) = try fixture.store.currentCard(id) else { Issue.record("expected invalid"); return }
        #expect(reason == "garbage")
        let status = try #require(try fixture.store.status().first)
        #expect(status.invalid.map(\.reason) == ["garbage"])
        #expect(status.indexedBlock == 12)
    }

    @Test("ownership follows the latest event that names an owner")
    func ownership() throws {
        let fixture = try StoreFixture()
        let agent = StoreFixture.address(1)
        try fixture.createAgent(1, StoreFixture.card(name: "Owned"))
        let newOwner = StoreFixture.address(77)
        try fixture.block([(agent, agent, .ownershipTransferred(newOwner: newOwner))])
        let record = try #require(try fixture.store.agentRecord(AgentID(chainID: fixture.chainID, address: agent)))
        #expect(record["owner"]?.stringValue == newOwner.checksummed)
    }
}
