import AgentCards
import EthereumCore
import Foundation
import Reputation
import Testing
@testable import Store

/// ERC-8004 agents in the store: registration files, listing, wallets and the payments they
/// receive, feedback grounded in payments, and rollback, on a real SQLite file.
@Suite("Store: ERC-8004 agents")
struct ERC8004StoreTests {
    static let identity = try! EthereumAddress("0x8004A169FB4a3325136EB29fA0ceB6D2e539a432")
    static let reputation = try! EthereumAddress("0x8004BAa17C55a88189AE136b182e5fdA19dE9b63")
    static let usdc = StoreFixture.address(0xe1)

    /// A fixture whose chain counts USDC, and helpers to commit ERC-8004 events.
    final class Chain {
        let fixture: StoreFixture
        var store: AgentStore { fixture.store }
        private var nextBlock: UInt64 = 100
        /// Blocks are committed as a bulk backfill's (``RangeBatch/bulk``), else at the target.
        var bulk = false

        init() throws {
            fixture = try StoreFixture()
            try fixture.store.registerChain(id: fixture.chainID, name: "test", sources: [], erc8004: [
                ERC8004Registry(kind: .identity, address: identity, startBlock: 1),
                ERC8004Registry(kind: .reputation, address: ERC8004StoreTests.reputation, startBlock: 1),
            ], assets: PaymentAssets(tokens: [usdc], dust: [usdc: UInt256(10_000)]))
        }

        static func token(_ n: Int) -> TokenAgent { TokenAgent(registry: identity, tokenID: UInt256(UInt64(n))) }

        static func emitter(of payload: ERC8004Event.Payload) -> EthereumAddress {
            switch payload {
            case .feedback, .feedbackRevoked, .responseAppended: ERC8004StoreTests.reputation
            default: identity
            }
        }
        func id(_ n: Int) -> AgentID { AgentID(chainID: fixture.chainID, token: Self.token(n)) }

        /// Commits one block: ERC-8004 events (agent, payload) in log order, then USDC transfers.
        @discardableResult
        func block(_ items: [(Int, ERC8004Event.Payload)],
                   transfers: [(from: EthereumAddress, to: EthereumAddress, value: UInt64)] = []) throws -> UInt64 {
            let block = nextBlock
            nextBlock += 1
            func provenance(_ index: Int) -> Provenance { StoreFixture.provenance(block: block, index) }
            let events = items.enumerated().map { index, item in
                ERC8004Event(provenance: provenance(index), emitter: Self.emitter(of: item.1), agent: Self.token(item.0), payload: item.1)
            }
            let tokenTransfers = transfers.enumerated().map { index, t in
                TokenTransfer(provenance: provenance(items.count + index), token: usdc, from: t.from, to: t.to,
                              value: UInt256(t.value), authorized: false)
            }
            try store.apply(RangeBatch(chainID: fixture.chainID, fromBlock: block, toBlock: block, events: [],
                                       transfers: tokenTransfers, blocks: [BlockStamp(number: block, hash: [UInt8](repeating: 1, count: 32),
                                                                                      timestamp: 1_700_000_000 + block)],
                                       headBlock: block, reachesTarget: !bulk, erc8004Events: events, bulk: bulk))
            return block
        }

        static func uri(_ json: String) -> RegistrationVersion {
            RegistrationVersion(RegistrationDocument(agentURI: Array(("data:application/json;base64," + Data(json.utf8).base64EncodedString()).utf8)))
        }

        static func pending(_ uri: String) -> RegistrationVersion { RegistrationVersion(RegistrationDocument(agentURI: Array(uri.utf8))) }

        /// Mints agent `n` to `owner` and registers it with `version`, as the registry does (Transfer,
        /// Registered, MetadataSet(agentWallet = owner)).
        func register(_ n: Int, owner: EthereumAddress, _ version: RegistrationVersion) throws {
            try block([(n, .transferred(from: .zero, to: owner)), (n, .registered(version, owner: owner)),
                       (n, .metadataSet(key: "agentWallet", value: owner.bytes))])
        }

        func record(_ n: Int) throws -> JSONValue { try #require(try store.agentRecord(id(n))) }
        func reputation(_ n: Int) throws -> JSONValue { try #require(try store.reputation(id(n))) }
    }

    static let owner = StoreFixture.address(0xa0)
    static let payers = (1...4).map { StoreFixture.address(0xb0 + $0) }

    @Test("registration files: a data: file is searchable by text; pending, absent and invalid ones are visible by id and filters")
    func registrationFiles() throws {
        let chain = try Chain()
        try chain.register(0, owner: Self.owner, Chain.uri(#"{"name":"Quill Drafter","description":"Drafts contracts.","services":[{"name":"MCP","endpoint":"https://quill.example/mcp"},{"name":"OASF","endpoint":"ipfs://x","skills":["legal/contract_drafting"],"domains":["legal"]}],"x402Support":true,"registrations":[{"agentId":0,"agentRegistry":"eip155:31337:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432"}]}"#))
        try chain.register(1, owner: Self.owner, Chain.pending("https://agents.example/1.json"))
        try chain.register(2, owner: Self.owner, Chain.pending(""))
        try chain.register(3, owner: Self.owner, Chain.uri("not json"))
        try chain.register(4, owner: Self.owner, Chain.uri(#"{"name":"Copycat","registrations":[{"agentId":9,"agentRegistry":"eip155:1:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432"}]}"#))
        let fixture = chain.fixture

        #expect(try fixture.names(AgentQuery(text: "drafts")) == ["Quill Drafter"])
        #expect(try fixture.names(AgentQuery(text: "contract_drafting")) == ["Quill Drafter"], "OASF skills are searchable")
        var filters = AgentQuery()
        filters.standard = .erc8004
        let listed = try fixture.store.search(filters).agents.compactMap { try? JSONValue(parsing: $0.summaryJSON) }
        #expect(listed.map { $0["tokenId"]?.stringValue } == ["0", "1", "2", "4"], "the invalid file is not listed; pending and absent are")
        #expect(listed[1]["name"] == .null && listed[1]["documentStatus"]?.stringValue == "pending")
        #expect(listed[2]["documentStatus"]?.stringValue == "absent")
        var mcp = AgentQuery()
        mcp.service = "mcp"
        #expect(try fixture.names(mcp) == ["Quill Drafter"])
        var skill = AgentQuery()
        skill.skill = "legal/contract_drafting"
        #expect(try fixture.names(skill) == ["Quill Drafter"])
        var x402 = AgentQuery()
        x402.x402 = true
        #expect(try fixture.names(x402) == ["Quill Drafter"])
        var owned = AgentQuery()
        owned.owner = Self.owner
        owned.chainID = fixture.chainID
        #expect(try fixture.store.search(owned).agents.count == 4)

        let quill = try chain.record(0)
        #expect(quill["id"]?.stringValue == "eip155:31337/erc721:0x8004A169FB4a3325136EB29fA0ceB6D2e539a432/0")
        #expect(quill["standard"]?.stringValue == "erc8004" && quill["address"] == .null && quill["tokenId"]?.stringValue == "0")
        #expect(quill["registration"]?["name"]?.stringValue == "Quill Drafter" && quill["card"] == .null)
        #expect(quill["agentWallet"]?.stringValue == Self.owner.checksummed)
        #expect(quill["metadata"]?["agentWallet"]?["hex"]?.stringValue == Self.owner.lowercased)
        #expect(quill["registrationMismatch"] == .bool(false) && quill["documentStatus"]?.stringValue == "ok")
        #expect(quill["services"]?.arrayValue?.map { $0["name"]?.stringValue } == ["MCP", "OASF"])
        #expect(quill["sources"]?[0]?["kind"]?.stringValue == "erc8004" && quill["sources"]?[0]?["status"]?.stringValue == "registered")
        let invalid = try chain.record(3)
        #expect(invalid["valid"] == .bool(false) && invalid["invalidReason"]?.stringValue?.hasPrefix("the registration file is not JSON") == true)
        #expect(try chain.record(4)["registrationMismatch"] == .bool(true), "it lists agent 9 on chain 1, not itself")
        guard case .offChain = try fixture.store.currentCard(chain.id(0)) else { Issue.record("an ERC-8004 agent has no on-chain card"); return }

        // A URI update to a file that says active: false delists it from default results; a burn delists it for good.
        try chain.block([(0, .uriUpdated(Chain.uri(#"{"name":"Quill Drafter","active":false}"#), updatedBy: Self.owner))])
        #expect(try fixture.names(AgentQuery(text: "quill")).isEmpty)
        var any = AgentQuery(text: "quill")
        any.active = .any
        #expect(try fixture.names(any) == ["Quill Drafter"])
        #expect(try chain.record(0)["cardVersions"] == .number("2"))
        try chain.block([(1, .transferred(from: Self.owner, to: .zero))])
        #expect(try chain.record(1)["listed"] == .bool(false) && chain.record(1)["sources"]?[0]?["status"]?.stringValue == "burned")
    }

    @Test("payments go to the wallet as of each payment: owner and wallet self-payments, a shared wallet and an old wallet count for no one")
    func walletPayments() throws {
        let chain = try Chain()
        let wallet = StoreFixture.address(0xc1)
        try chain.register(0, owner: Self.owner, Chain.uri(#"{"name":"Paid"}"#))
        // The owner's default wallet: the owner paying itself is `self` (its own wallet) …
        try chain.block([], transfers: [(Self.owner, Self.owner, 1_000_000)])
        try chain.block([(0, .metadataSet(key: "agentWallet", value: wallet.bytes))],
                        transfers: [(Self.payers[0], wallet, 1_000_000), (Self.payers[0], wallet, 2_000_000),
                                    (Self.owner, wallet, 1_000_000), (Self.payers[1], wallet, 5)])   // owner; dust
        // A second agent of the same owner sets the same wallet: payments to it cannot be attributed.
        try chain.register(1, owner: Self.owner, Chain.uri(#"{"name":"Twin"}"#))
        try chain.block([(1, .metadataSet(key: "agentWallet", value: wallet.bytes))], transfers: [(Self.payers[2], wallet, 1_000_000)])
        // The NFT changes hands: the registry clears the wallet first; later payments to it count for no one.
        let buyer = StoreFixture.address(0xd0)
        try chain.block([(1, .metadataSet(key: "agentWallet", value: [])), (1, .transferred(from: Self.owner, to: buyer))])
        try chain.block([], transfers: [(Self.payers[3], wallet, 3_000_000)])
        try chain.block([(0, .metadataSet(key: "agentWallet", value: []))])
        try chain.block([], transfers: [(Self.payers[3], wallet, 3_000_000)])

        let page = try #require(try chain.store.payments(chain.id(0), limit: 20, cursor: nil))
        let reasons = page.payments.reversed().map { $0["reason"]?.stringValue ?? "counted" }
        #expect(reasons == ["self", "counted", "counted", "owner", "dust", "shared-payto", "counted"])
        let metrics = try #require(try chain.reputation(0)["metrics"])
        #expect(metrics["payments"] == .number("3") && metrics["uniquePayers"] == .number("2") && metrics["recurringPayers"] == .number("1"))
        #expect(try chain.store.payments(chain.id(1), limit: 20, cursor: nil)?.payments.map { $0["reason"]?.stringValue } == ["shared-payto"])
        #expect(try chain.record(1)["owner"]?.stringValue == buyer.checksummed && chain.record(1)["agentWallet"] == .null)
        #expect(try chain.store.paymentWatch(chainID: chain.fixture.chainID).recipients.contains(wallet))
    }

    @Test("feedback is verified when its client paid before; revocation leaves the metrics; values are exact; tags are aggregated")
    func feedback() throws {
        let chain = try Chain()
        try chain.register(0, owner: Self.owner, Chain.uri(#"{"name":"Rated"}"#))
        func review(_ client: EthereumAddress, _ index: UInt64, _ value: String, _ decimals: UInt8, _ tag: String) -> ERC8004Event.Payload {
            .feedback(Feedback(client: client, index: index, value: Int256(decimal: value)!, decimals: decimals, tag1: tag, tag2: "",
                               endpoint: "", uri: "", hash: [UInt8](repeating: 0, count: 32)))
        }
        // A stranger reviews first; a payer reviews in the same block as its payment, after it.
        try chain.block([(0, review(Self.payers[3], 1, "100", 0, "starred"))])
        try chain.block([], transfers: [(Self.payers[0], Self.owner, 1_000_000)])   // the default wallet is the owner
        try chain.block([(0, review(Self.payers[0], 1, "8750", 2, "starred")), (0, review(Self.payers[0], 2, "995", 1, "uptime"))])
        try chain.block([(0, review(Self.payers[1], 1, "40", 0, "starred"))],
                        transfers: [(Self.payers[1], Self.owner, 1_000_000)])          // paid after the review: unverified
        let revoked = try chain.block([(0, .feedbackRevoked(client: Self.payers[3], index: 1))])

        let page = try #require(try chain.store.feedback(chain.id(0), limit: 10, cursor: nil))
        #expect(page.items.map { $0["verified"] } == [.bool(false), .bool(true), .bool(true), .bool(false)],
                "newest first: payer 1 reviewed before paying; payer 0 paid before both reviews; the stranger never paid")
        let first = try #require(page.items.last)
        #expect(first["revoked"] == .bool(true) && first["revocation"]?["blockNumber"] == .number(String(revoked)))
        #expect(page.items[2]["value"]?.stringValue == "87.5" && page.items[2]["rawValue"]?.stringValue == "8750")
        let metrics = try #require(try chain.reputation(0)["metrics"])
        #expect(metrics["feedback"] == .number("3") && metrics["revokedFeedback"] == .number("1") && metrics["verifiedFeedback"] == .number("2"))
        #expect(metrics["verifiedFeedbackRatingMean"] == .number("93.5") && metrics["feedbackRatingMean"] == .number("75.666667"))
        #expect(metrics["tags"]?["starred"]?["count"] == .number("2") && metrics["tags"]?["starred"]?["verified"] == .number("1"))
        // Paging: one at a time, everything once.
        var seen = 0
        var cursor: String?
        repeat {
            let one = try #require(try chain.store.feedback(chain.id(0), limit: 1, cursor: cursor))
            seen += one.items.count
            cursor = one.nextCursor
        } while cursor != nil
        #expect(seen == 4)
        #expect(throws: AgentStore.StoreError.self) { try chain.store.feedback(chain.id(0), limit: 1, cursor: "bm9wZQ") }
        // Any position is a cursor: past everything (no overflow), before everything, in between.
        let far = "999999999999999999.999999999999999999"
        #expect(try chain.store.feedback(chain.id(0), limit: 10, cursor: far)?.items.count == 4)
        #expect(try chain.store.validations(chain.id(0), limit: 10, cursor: far) != nil)
        #expect(try chain.store.payments(chain.id(0), limit: 10, cursor: far) != nil)
        #expect(try chain.store.feedback(chain.id(0), limit: 10, cursor: "0.0")?.items.isEmpty == true)
        for bad in ["", "1", "1.", ".1", "-1.0", "1.2.3", "1234567890123456789.0", "1e3.0", "١.٢"] {
            #expect(throws: AgentStore.StoreError.self, "\(bad)") { try chain.store.validations(chain.id(0), limit: 1, cursor: bad) }
        }
    }

    @Test("a rollback across registration, wallet change, transfer, feedback and revocation equals never having seen those blocks")
    func rollback() throws {
        let chain = try Chain()
        let wallet = StoreFixture.address(0xc1)
        try chain.register(0, owner: Self.owner, Chain.uri(#"{"name":"Stable"}"#))
        try chain.block([], transfers: [(Self.payers[0], Self.owner, 1_000_000)])
        let ancestor = try chain.block([(0, .feedback(Feedback(client: Self.payers[0], index: 1, value: Int256(90), decimals: 0,
                                                                tag1: "", tag2: "", endpoint: "", uri: "", hash: []) ))])
        let before = try chain.record(0)
        try chain.register(1, owner: Self.owner, Chain.uri(#"{"name":"Ephemeral"}"#))
        try chain.block([(0, .metadataSet(key: "agentWallet", value: wallet.bytes)),
                         (0, .uriUpdated(Chain.uri(#"{"name":"Renamed"}"#), updatedBy: Self.owner)),
                         (0, .feedbackRevoked(client: Self.payers[0], index: 1))], transfers: [(Self.payers[1], wallet, 1_000_000)])
        try chain.block([(0, .metadataSet(key: "agentWallet", value: [])), (0, .transferred(from: Self.owner, to: wallet))])
        #expect(try chain.record(0)["registration"]?["name"]?.stringValue == "Renamed")

        let summary = try chain.store.rollback(chainID: chain.fixture.chainID, toBlock: ancestor)
        #expect(summary.removedAgents == 1)
        #expect(try chain.record(0) == before)
        #expect(try chain.store.agentRecord(chain.id(1)) == nil)
        #expect(try chain.fixture.names(AgentQuery(text: "renamed")).isEmpty && chain.fixture.names(AgentQuery(text: "stable")) == ["Stable"])
    }

    @Test("agent ids: CAIP-10 for contracts, CAIP-19 for ERC-8004 tokens, any case in")
    func agentIDs() throws {
        let token = AgentID(parsing: "eip155:1/erc721:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432/12345678901234567890")
        #expect(token?.description == "eip155:1/erc721:0x8004A169FB4a3325136EB29fA0ceB6D2e539a432/12345678901234567890")
        #expect(token?.storeKey == "0x8004a169fb4a3325136eb29fa0ceb6d2e539a432/12345678901234567890")
        #expect(AgentID(parsing: "eip155:1:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432")?.storeKey == "0x8004a169fb4a3325136eb29fa0ceb6d2e539a432")
        for bad in ["eip155:1/erc721:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432/", "eip155:1/erc20:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432/1",
                    "eip155:1/erc721:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432/-1", "eip155:1:x/erc721:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432/1",
                    "eip155:1/erc721:0x8004/1", "eip155:1/erc721:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432/1/2",
                    "eip155:1/erc721:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432/" + String(repeating: "9", count: 79)] {
            #expect(AgentID(parsing: bad) == nil, "\(bad)")
        }
    }
}

private extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }
}
