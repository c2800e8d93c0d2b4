import AgentCards
import EthereumCore
import Foundation
import Testing
@testable import Store

/// Off-chain documents in the store: claimed with a lease, results applied in their own
/// transactions, agents derived again from what was fetched, statuses, refreshes and rollbacks.
@Suite("Store: off-chain documents")
struct DocumentStoreTests {
    typealias Chain = ERC8004StoreTests.Chain
    static let owner = StoreFixture.address(0xa0)
    static let payTo = StoreFixture.address(0xc1)

    static let quillFile = #"""
    {"type":"https://eips.ethereum.org/EIPS/eip-8004#registration-v1","name":"Quill","description":"Writes legal memos",
     "services":[{"name":"A2A","endpoint":"https://quill.example/.well-known/agent-card.json","version":"0.3.0"}],
     "registrations":[{"agentId":1,"agentRegistry":"eip155:31337:0x8004A169FB4a3325136EB29fA0ceB6D2e539a432"}]}
    """#
    static let quillCard = #"""
    {"name":"Quill","description":"Memos","url":"https://quill.example/a2a","version":"1.0","protocolVersion":"0.3.0",
     "capabilities":{"extensions":[{"uri":"https://github.com/google-a2a/a2a-x402/v0.1","params":{"accepts":[
       {"scheme":"exact","network":"eip155:31337","asset":"0x00000000000000000000000000000000000000e1","amount":"5000","payTo":"\#(payTo.lowercased)"}]}}]},
     "defaultInputModes":["text/plain"],"defaultOutputModes":["application/pdf"],
     "skills":[{"id":"memo","name":"Legal memo","description":"Drafts memos","tags":["legal","drafting"]}]}
    """#
    static let proof = #"{"registrations":[{"agentId":"1","agentRegistry":"eip155:31337:0x8004a169fb4a3325136eb29fa0ceb6d2e539a432"}]}"#

    static func content(_ text: String, signature: String? = nil) -> DocumentResult.Outcome {
        let bytes = Array(text.utf8)
        return .content(DocumentContent(bytes: bytes, sha256: Hex.encode(Keccak256.hash(bytes + [1])), keccak256: Hex.encode(Keccak256.hash(bytes)),
                                        etag: "\"v1\"", cardSignature: signature))
    }

    static func result(_ task: DocumentTask, _ outcome: DocumentResult.Outcome, at time: Int64 = 1_000, next: Int64? = 1_000 + 86_400) -> DocumentResult {
        DocumentResult(documentID: task.id, attemptedAt: time, outcome: outcome, url: task.uri, address: "93.184.215.14",
                       httpStatus: 200, bytesOnWire: 10, nextAttemptAt: next)
    }

    func search(_ store: AgentStore, _ configure: (inout AgentQuery) -> Void) throws -> [String] {
        var query = AgentQuery()
        configure(&query)
        return try store.search(query).agents.map(\.summaryJSON)
    }

    @Test("an https: file is pending until fetched, then searchable; its card adds skills, modes and x402; the domain proof verifies it")
    func fetchedAgent() throws {
        let chain = try Chain()
        try chain.register(1, owner: Self.owner, Chain.pending("https://quill.example/agent.json"))
        #expect(try chain.record(1)["documentStatus"] == .string("pending"))
        #expect(try search(chain.store) { $0.text = "quill" }.isEmpty)
        #expect(try search(chain.store) { $0.standard = .erc8004 }.count == 1)   // visible by filters meanwhile

        let first = try chain.store.claimDueDocuments(now: 1_000, limit: 10, lease: 60)
        #expect(first.map(\.kind) == [.registration] && first[0].uri == "https://quill.example/agent.json")
        try chain.store.applyDocumentResult(Self.result(first[0], Self.content(Self.quillFile)))
        var record = try chain.record(1)
        #expect(record["documentStatus"] == .string("ok") && record["registration"]?["name"] == .string("Quill"))
        #expect(try search(chain.store) { $0.text = "legal memos" }.count == 1)
        #expect(record["documents"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } == ["registration", "a2a-card", "domain-proof"])

        let second = try chain.store.claimDueDocuments(now: 1_001, limit: 10, lease: 60)
        #expect(Set(second.map(\.kind)) == [.a2aCard, .domainProof])
        for task in second {
            try chain.store.applyDocumentResult(Self.result(task, Self.content(task.kind == .a2aCard ? Self.quillCard : Self.proof,
                                                                                signature: task.kind == .a2aCard ? "valid" : nil)))
        }
        record = try chain.record(1)
        #expect(record["card"]?["skills"]?.arrayValue?.first?["tags"] == .array([.string("legal"), .string("drafting")]))
        #expect(record["cardSignature"] == .string("valid") && record["domainVerified"] == .bool(true) && record["x402Support"] == .bool(true))
        #expect(try search(chain.store) { $0.tag = "drafting" }.count == 1)
        #expect(try search(chain.store) { $0.outputMode = "application/pdf" }.count == 1)
        #expect(try search(chain.store) { $0.x402 = true }.count == 1)
        #expect(try search(chain.store) { $0.cardSignature = "valid" }.count == 1)
        #expect(try search(chain.store) { $0.cardSignature = "invalid" }.isEmpty)
        #expect(try search(chain.store) { $0.domainVerified = true }.count == 1)
        #expect(try search(chain.store) { $0.service = "a2a" }.count == 1)
        guard case .card(let json) = try chain.store.currentCard(chain.id(1)) else { Issue.record("no card"); return }
        #expect(json.contains("Legal memo"))
        // Nothing is due until the refresh time.
        #expect(try chain.store.claimDueDocuments(now: 2_000, limit: 10, lease: 60).isEmpty)
        #expect(try chain.store.nextDocumentDue() == 1_000 + 86_400)
    }

    @Test("a failed refresh serves the old content as stale; invalid content delists; unsupported and refused are recorded")
    func statuses() throws {
        let chain = try Chain()
        try chain.register(1, owner: Self.owner, Chain.pending("https://quill.example/agent.json"))
        try chain.register(2, owner: Self.owner, Chain.pending("ftp://files.example/agent.json"))
        try chain.register(3, owner: Self.owner, Chain.pending("https://10.0.0.1/agent.json"))
        try chain.register(4, owner: Self.owner, Chain.pending("https://gone.example/agent.json"))
        let tasks = Dictionary(uniqueKeysWithValues: try chain.store.claimDueDocuments(now: 1_000, limit: 10, lease: 60).map { ($0.uri, $0) })
        #expect(tasks.count == 4)
        let quill = try #require(tasks["https://quill.example/agent.json"])
        try chain.store.applyDocumentResult(Self.result(quill, Self.content(Self.quillFile)))
        try chain.store.applyDocumentResult(Self.result(tasks["ftp://files.example/agent.json"]!, .failure(.unsupported, "the scheme 'ftp' is not supported"), next: nil))
        try chain.store.applyDocumentResult(Self.result(tasks["https://10.0.0.1/agent.json"]!, .failure(.refused, "10.0.0.1 is private"), next: 5_000))
        try chain.store.applyDocumentResult(Self.result(tasks["https://gone.example/agent.json"]!, .failure(.failed, "HTTP 404"), next: 1_060))
        #expect(try chain.record(2)["documentStatus"] == .string("unsupported"))
        #expect(try chain.record(3)["documentStatus"] == .string("refused"))
        let gone = try chain.record(4)
        #expect(gone["documentStatus"] == .string("failed") && gone["documents"]?.arrayValue?.first?["lastError"] == .string("HTTP 404"))
        #expect(gone["documents"]?.arrayValue?.first?["failures"] == .number("1") && gone["valid"] == .bool(true))

        // The refresh fails: the content fetched before is still served, as stale.
        try chain.store.applyDocumentResult(Self.result(quill, .failure(.failed, "timed out"), at: 90_000, next: 90_060))
        #expect(try chain.record(1)["documentStatus"] == .string("stale"))
        #expect(try search(chain.store) { $0.text = "quill" }.count == 1)
        // A 304 brings it back to ok.
        try chain.store.applyDocumentResult(Self.result(quill, .notModified, at: 90_100))
        #expect(try chain.record(1)["documentStatus"] == .string("ok"))
        // The host now serves something that is not a registration file: invalid, not searchable.
        try chain.store.applyDocumentResult(Self.result(quill, .failure(.invalid, "the registration file is not JSON"), at: 200_000))
        let invalid = try chain.record(1)
        #expect(invalid["documentStatus"] == .string("invalid") && invalid["valid"] == .bool(false))
        #expect(invalid["invalidReason"] == .string("the registration file is not JSON"))
        #expect(try search(chain.store) { $0.text = "quill" }.isEmpty)
        let backlog = try chain.store.documentBacklog(now: 200_000)
        #expect(backlog.counts["registration"]?["invalid"] == 1 && backlog.counts["registration"]?["unsupported"] == 1)
        // Only the last attempts are kept.
        for attempt in 0..<15 {
            try chain.store.applyDocumentResult(Self.result(quill, .failure(.failed, "down"), at: 300_000 + Int64(attempt)))
        }
        let kept = try chain.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM document_attempt WHERE document = ?", arguments: [quill.id]) }
        #expect(kept == AgentStore.maxAttemptsKept)
    }

    @Test("a lease hides a claimed document until it ends; a refresh event and a requeue make documents due again")
    func schedule() throws {
        let chain = try Chain()
        try chain.register(1, owner: Self.owner, Chain.pending("https://quill.example/agent.json"))
        let claimed = try chain.store.claimDueDocuments(now: 1_000, limit: 10, lease: 60)
        #expect(claimed.count == 1)
        #expect(try chain.store.claimDueDocuments(now: 1_030, limit: 10, lease: 60).isEmpty)
        #expect(try chain.store.claimDueDocuments(now: 1_061, limit: 10, lease: 60).map(\.id) == claimed.map(\.id))   // a dead fetcher's lease ended
        try chain.store.applyDocumentResult(Self.result(claimed[0], Self.content(Self.quillFile), at: 1_070))
        let linked = try chain.store.claimDueDocuments(now: 2_000, limit: 10, lease: 60)
        #expect(linked.map(\.kind) == [.a2aCard, .domainProof])
        for task in linked { try chain.store.applyDocumentResult(Self.result(task, .failure(.failed, "down"), at: 2_000, next: 90_000)) }
        #expect(try chain.store.claimDueDocuments(now: 50_000, limit: 10, lease: 60).isEmpty)
        // ERC-4906: the registry asks for the token's documents to be read again.
        try chain.block([(1, .documentRefresh(lastTokenID: UInt256(1)))])
        let refreshed = try chain.store.claimDueDocuments(now: 50_000, limit: 10, lease: 60)
        #expect(refreshed.count == 3 && refreshed.first { $0.kind == .registration }?.etag == "\"v1\"")
        #expect(try chain.store.requeueDocuments(agent: chain.id(1), failedOnly: true) == 2)
        #expect(try chain.store.requeueDocuments(agent: chain.id(1), failedOnly: false) == 3)
    }

    @Test("a rollback of a URIUpdated brings back the previous document without fetching it again")
    func rollbackBringsBackDocument() throws {
        let chain = try Chain()
        try chain.register(1, owner: Self.owner, Chain.pending("https://quill.example/agent.json"))
        let first = try chain.store.claimDueDocuments(now: 1_000, limit: 10, lease: 60)
        try chain.store.applyDocumentResult(Self.result(first[0], Self.content(Self.quillFile)))
        let ancestor = try chain.block([])
        try chain.block([(1, .uriUpdated(Chain.pending("ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"), updatedBy: Self.owner))])
        #expect(try chain.record(1)["documentStatus"] == .string("pending"))
        #expect(try search(chain.store) { $0.text = "quill" }.isEmpty)
        _ = try chain.store.rollback(chainID: chain.fixture.chainID, toBlock: ancestor)
        let record = try chain.record(1)
        #expect(record["documentStatus"] == .string("ok") && record["registration"]?["name"] == .string("Quill"))
        #expect(try search(chain.store) { $0.text = "quill" }.count == 1)
    }

    @Test("a feedback file: its hash checked against feedbackHash, its payment proof shown with the feedback")
    func feedbackFile() throws {
        let chain = try Chain()
        try chain.register(1, owner: Self.owner, Chain.uri(#"{"name":"Rated"}"#))
        let file = #"{"proofOfPayment":{"fromAddress":"0x01","toAddress":"0x02","chainId":31337,"txHash":"0x03"}}"#
        let hash = Keccak256.hash(Array(file.utf8))
        try chain.block([(1, .feedback(Feedback(client: StoreFixture.address(0xb1), index: 1, value: Int256(90), decimals: 0, tag1: "starred",
                                                  tag2: "", endpoint: "", uri: "https://reviews.example/1.json", hash: hash)))])
        let tasks = try chain.store.claimDueDocuments(now: 1_000, limit: 10, lease: 60)
        #expect(tasks.map(\.kind) == [.feedback])
        var outcome = Self.content(file)
        if case .content(var content) = outcome {
            content.paymentProof = "verified"
            outcome = .content(content)
        }
        try chain.store.applyDocumentResult(Self.result(tasks[0], outcome, next: nil))
        let page = try #require(try chain.store.feedback(chain.id(1), limit: 10, cursor: nil))
        let fileInfo = page.items[0]["feedbackFile"]
        #expect(fileInfo?["status"] == .string("ok") && fileInfo?["hashMatches"] == .bool(true) && fileInfo?["paymentProof"] == .string("verified"))
        #expect(try chain.store.documentList(agent: chain.id(1), status: nil, limit: 10).count == 1)
    }

    /// Fetches agent 1's registration file and the A2A card it names (with x402 terms paying
    /// `payTo`); returns the card's task.
    static func fetchQuillCard(_ chain: Chain) throws -> DocumentTask {
        for task in try chain.store.claimDueDocuments(now: 1_000, limit: 10, lease: 60) {
            try chain.store.applyDocumentResult(result(task, content(quillFile)))
        }
        let card = try #require(try chain.store.claimDueDocuments(now: 1_001, limit: 10, lease: 60).first { $0.kind == .a2aCard })
        try chain.store.applyDocumentResult(result(card, content(quillCard)))
        return card
    }

    @Test("a card's x402 payTo on this chain joins the agent's payees from the registration version on; a card that stops naming it takes it back")
    func cardPayees() throws {
        let chain = try Chain()
        let usdc = ERC8004StoreTests.usdc
        let payer = StoreFixture.address(0xb1)
        try chain.register(1, owner: Self.owner, Chain.pending("https://quill.example/agent.json"))
        // Paid at the payTo before anyone knew the card: the follower did not watch it then.
        let paidAt = try chain.block([], transfers: [(payer, Self.payTo, 500_000)])
        let card = try Self.fetchQuillCard(chain)
        let queued = try chain.store.payeeRefreshes(chainID: chain.fixture.chainID)
        #expect(queued.map(\.payTo) == [Self.payTo] && queued[0].fromBlock < paidAt, "from the version that names the card")
        // The follower reads the payee's transfers again through its cursor and attributes them.
        let cursor = try #require(try chain.store.cursor(chainID: chain.fixture.chainID))
        let transfer = TokenTransfer(provenance: StoreFixture.provenance(block: paidAt, 0), token: usdc, from: payer, to: Self.payTo,
                                     value: UInt256(500_000), authorized: true)
        #expect(try chain.store.applyPayeeRefresh(chainID: chain.fixture.chainID, queued[0], throughBlock: cursor - 1, transfers: [transfer], blocks: []) == false,
                "a cursor that moved refuses the refresh")
        #expect(try chain.store.applyPayeeRefresh(chainID: chain.fixture.chainID, queued[0], throughBlock: cursor, transfers: [transfer], blocks: []))
        #expect(try chain.store.payeeRefreshes(chainID: chain.fixture.chainID).isEmpty)
        var reputation = try chain.reputation(1)
        #expect(reputation["metrics"]?["payments"] == .number("1") && reputation["metrics"]?["uniquePayers"] == .number("1"))
        // Later transfers to the payTo are the agent's like its wallet's (the watch list names it).
        #expect(try chain.store.paymentWatch(chainID: chain.fixture.chainID).recipients.contains(Self.payTo))
        try chain.block([], transfers: [(payer, Self.payTo, 700_000)])
        reputation = try chain.reputation(1)
        #expect(reputation["metrics"]?["payments"] == .number("2"))

        // The host now serves a card without x402 terms: the payTo goes, and its payments with it.
        let noTerms = Self.quillCard.replacingOccurrences(of: "a2a-x402", with: "a2a-other")
        try chain.store.applyDocumentResult(Self.result(card, Self.content(noTerms), at: 90_000))
        let dropped = try chain.store.payeeRefreshes(chainID: chain.fixture.chainID)
        #expect(dropped.map(\.payTo) == [Self.payTo])
        let now = try #require(try chain.store.cursor(chainID: chain.fixture.chainID))
        let later = TokenTransfer(provenance: StoreFixture.provenance(block: now, 0), token: usdc, from: payer, to: Self.payTo,
                                  value: UInt256(700_000), authorized: false)
        #expect(try chain.store.applyPayeeRefresh(chainID: chain.fixture.chainID, dropped[0], throughBlock: now, transfers: [transfer, later], blocks: []))
        reputation = try chain.reputation(1)
        #expect(reputation["metrics"]?["payments"] == .number("0"), "payments to a payee no card names count for no one")
    }

    @Test("a payee refresh during a bulk backfill takes back the payments staged for the payee")
    func stagedPayees() throws {
        let chain = try Chain()
        let usdc = ERC8004StoreTests.usdc
        let payer = StoreFixture.address(0xb1)
        try chain.register(1, owner: Self.owner, Chain.pending("https://quill.example/agent.json"))
        let card = try Self.fetchQuillCard(chain)
        let queued = try chain.store.payeeRefreshes(chainID: chain.fixture.chainID)
        let cursor = try #require(try chain.store.cursor(chainID: chain.fixture.chainID))
        #expect(try chain.store.applyPayeeRefresh(chainID: chain.fixture.chainID, queued[0], throughBlock: cursor, transfers: [], blocks: []))

        chain.bulk = true
        let paidAt = try chain.block([], transfers: [(payer, Self.payTo, 700_000)])
        let staged = { try chain.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM payment_staging") } }
        #expect(try staged() == 1, "the payTo's payment waits in staging")
        let noTerms = Self.quillCard.replacingOccurrences(of: "a2a-x402", with: "a2a-other")
        try chain.store.applyDocumentResult(Self.result(card, Self.content(noTerms), at: 90_000))
        let dropped = try chain.store.payeeRefreshes(chainID: chain.fixture.chainID)
        #expect(dropped.map(\.payTo) == [Self.payTo])
        let transfer = TokenTransfer(provenance: StoreFixture.provenance(block: paidAt, 0), token: usdc, from: payer, to: Self.payTo,
                                     value: UInt256(700_000), authorized: false)
        #expect(try chain.store.applyPayeeRefresh(chainID: chain.fixture.chainID, dropped[0], throughBlock: paidAt, transfers: [transfer], blocks: []))
        #expect(try staged() == 0)
        chain.bulk = false
        try chain.block([])   // leaves bulk: what is staged is merged
        #expect(try chain.reputation(1)["metrics"]?["payments"] == .number("0"), "the staged payment went with the payee")
    }
}
