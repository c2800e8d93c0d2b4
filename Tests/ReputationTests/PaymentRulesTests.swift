import EthereumCore
import Reputation
import Testing

@Suite("Which payments count")
struct PaymentRulesTests {
    let agent = try! EthereumAddress("0x00000000000000000000000000000000000000a1")
    let owner = try! EthereumAddress("0x00000000000000000000000000000000000000b1")
    let payTo = try! EthereumAddress("0x00000000000000000000000000000000000000c1")
    let payer = try! EthereumAddress("0x00000000000000000000000000000000000000d1")
    let usdc = try! EthereumAddress("0x00000000000000000000000000000000000000e1")

    func facts(payer: EthereumAddress? = nil, asset: EthereumAddress? = nil, amount: UInt64 = 1_000_000, listed: Bool = true,
               dust: UInt64? = 10_000, evidence: PaymentEvidence = .tokenLog, claimants: Int = 1) -> PaymentFacts {
        PaymentFacts(payer: payer ?? self.payer, asset: asset ?? usdc, amount: UInt256(amount), agent: agent, owner: owner,
                     payTo: [payTo], assetIsListed: listed, dustThreshold: dust.map(UInt256.init), evidence: evidence,
                     recipientClaimants: claimants)
    }

    @Test("a listed payment from a stranger above dust counts")
    func counts() {
        #expect(PaymentRules.exclusion(facts()) == nil)
        #expect(PaymentRules.exclusion(facts(evidence: .factoryAgentLog)) == nil)
    }

    @Test("the agent, its payTo and its owner paying are self-payments")
    func selfPayments() {
        #expect(PaymentRules.exclusion(facts(payer: agent)) == .fromSelf)
        #expect(PaymentRules.exclusion(facts(payer: payTo)) == .fromSelf)
        #expect(PaymentRules.exclusion(facts(payer: owner)) == .owner)
    }

    @Test("dust is below the threshold; the threshold itself counts")
    func dust() {
        #expect(PaymentRules.exclusion(facts(amount: 9_999)) == .dust)
        #expect(PaymentRules.exclusion(facts(amount: 10_000)) == nil)
        #expect(PaymentRules.exclusion(facts(amount: 1, dust: nil)) == nil)
    }

    @Test("unlisted tokens, unbacked agent logs and shared payTo addresses do not count")
    func unprovable() {
        #expect(PaymentRules.exclusion(facts(listed: false)) == .unlistedAsset)
        #expect(PaymentRules.exclusion(facts(evidence: .agentLogOnly)) == .selfReported)
        #expect(PaymentRules.exclusion(facts(claimants: 2)) == .sharedPayTo)
    }
}
