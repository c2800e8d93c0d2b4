import AgentCards
import EthereumCore
import Foundation
import Testing
@testable import Store

/// The payment ledger carries agents' histories from one batch to the next (``HistoryCache``):
/// every decision must still see the history as committed, whatever changed it in between.
@Suite("Store: agents' histories carried between batches")
struct HistoryCacheTests {
    let token = StoreFixture.address(0x70)
    let payer = StoreFixture.address(0x71)
    let firstPayTo = StoreFixture.address(0x72)
    let secondPayTo = StoreFixture.address(0x73)
    let agent = StoreFixture.address(1)

    @Test("a card update, an owner change, a rollback and another connection's write each reach the next batch's decisions")
    func decisionsSeeEveryChange() throws {
        let fixture = try StoreFixture()
        var assets = PaymentAssets()
        assets.tokens = [token]
        try fixture.store.registerChain(id: fixture.chainID, name: "test", sources: [], assets: assets)
        try fixture.createAgent(1, card(payTo: firstPayTo))

        try pay(fixture, to: firstPayTo, 100)                    // loads the agent's history and who names firstPayTo
        #expect(try payments(fixture) == ["100 counted"])

        try fixture.block([(agent, agent, .card(version(card(payTo: secondPayTo)), owner: fixture.owner))])
        try fixture.block([], transfers: [(token, payer, firstPayTo, UInt256(101)), (token, payer, secondPayTo, UInt256(102))])
        #expect(try payments(fixture) == ["100 counted", "102 counted"], "the new terms name only the second payTo")

        let beforeOwnerChange = try pay(fixture, to: secondPayTo, 103)
        try fixture.block([(agent, agent, .ownershipTransferred(newOwner: payer))])
        try pay(fixture, to: secondPayTo, 104)
        #expect(try payments(fixture).last == "104 owner", "the payer owns the agent now")

        try fixture.store.rollback(chainID: fixture.chainID, toBlock: beforeOwnerChange)
        try pay(fixture, to: secondPayTo, 105)
        #expect(try payments(fixture).suffix(2) == ["103 counted", "105 counted"], "the rollback undid the owner change")

        let lastKnown = try fixture.block([(agent, agent, .ownershipTransferred(newOwner: payer))])
        try pay(fixture, to: secondPayTo, 106)                   // the history with the payer as owner is carried
        #expect(try payments(fixture).last == "106 owner")
        let other = try AgentStore(path: fixture.directory.appendingPathComponent("index.sqlite").path)
        try other.rollback(chainID: fixture.chainID, toBlock: lastKnown - 1)   // another connection undoes the owner change
        try pay(fixture, to: secondPayTo, 107)
        #expect(try payments(fixture).last == "107 counted", "another connection's write reaches this store's ledger")
    }

    private func card(payTo: EthereumAddress) -> AgentCard {
        var card = StoreFixture.card(name: "Payee")
        card.payments = [PaymentTerms(scheme: "exact", network: "devnet", asset: token, amount: UInt256(1), payTo: payTo)]
        return card
    }

    private func version(_ card: AgentCard) -> CardVersion {
        CardVersion(origin: .log, raw: card.abiEncoded(), outcome: .success(card))
    }

    @discardableResult
    private func pay(_ fixture: StoreFixture, to payTo: EthereumAddress, _ amount: UInt64) throws -> UInt64 {
        try fixture.block([], transfers: [(token, payer, payTo, UInt256(amount))])
    }

    /// The agent's payments, oldest first, as "amount counted" or "amount reason".
    private func payments(_ fixture: StoreFixture) throws -> [String] {
        let page = try #require(try fixture.store.payments(AgentID(chainID: fixture.chainID, address: agent), limit: 100, cursor: nil))
        return page.payments.reversed().map { payment in
            let amount = payment["amount"]?.stringValue ?? "?"
            return "\(amount) \(payment["counted"] == .bool(true) ? "counted" : payment["reason"]?.stringValue ?? "?")"
        }
    }
}
