import AgentCards
import EthereumCore
import Testing

@Suite struct AgentCardTests {
    static func sample() throws -> AgentCard {
        AgentCard(
            name: "LexTranslate", description: "Translates legal PDFs between English and German.",
            url: "https://agents.example/lex/", version: "1.0.0", protocolVersion: "0.3.0",
            provider: .init(organization: "Lex GmbH", url: "https://lex.example"), iconUrl: nil,
            documentationUrl: "https://agents.example/lex/docs",
            capabilities: .init(streaming: true, pushNotifications: false, stateTransitionHistory: false),
            defaultInputModes: ["application/pdf"], defaultOutputModes: ["application/pdf"],
            skills: [.init(id: "translate-legal", name: "Legal translation", description: "EN↔DE legal documents.",
                           tags: ["translation", "legal"], examples: ["Translate this NDA"], inputModes: [], outputModes: [])],
            extensions: [.init(uri: "https://example.org/ext", description: "", required: true, params: #"{"level":2}"#),
                         .init(uri: "https://example.org/bad", description: "d", required: false, params: "not json")],
            payments: [PaymentTerms(scheme: "exact", network: "base", asset: try EthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
                                    amount: UInt256(2_500_000), payTo: try EthereumAddress("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"))])
    }

    @Test func roundTripsThroughTheABI() throws {
        let card = try Self.sample()
        #expect(try AgentCard(abiEncoded: card.abiEncoded()) == card)
    }

    @Test func rendersA2AJSON() throws {
        let json = try Self.sample().a2aJSON()
        for key in ["name", "description", "url", "version", "protocolVersion", "capabilities", "defaultInputModes", "defaultOutputModes", "skills"] {
            #expect(json[key] != nil, "\(key) is required by A2A v0.3.0")
        }
        #expect(json["iconUrl"] == nil)
        #expect(json["provider"]?["organization"] == .string("Lex GmbH"))
        let extensions = try #require(json["capabilities"]?["extensions"]?.arrayValue)
        #expect(extensions.count == 3)
        #expect(extensions[0]["params"]?["level"] == .number("2"))
        #expect(extensions[1]["params"] == nil)  // params that are not a JSON object are left out
        #expect(extensions[2]["uri"] == .string(X402Extension.uri))
        #expect(extensions[2]["params"]?["accepts"]?.arrayValue?.first?["amount"] == .string("2500000"))
        #expect(json["skills"]?.arrayValue?.first?["inputModes"] == nil)
    }

    @Test func oversizedFieldsAndListsAreRejectedWithTheField() throws {
        var card = try Self.sample()
        card.name = String(repeating: "n", count: 257)
        #expect(throws: CardError.limitExceeded(field: "name", size: 257, limit: 256)) { try AgentCard(abiEncoded: card.abiEncoded()) }
        card = try Self.sample()
        card.skills[0].tags = (0..<33).map { "t\($0)" }
        #expect(throws: CardError.limitExceeded(field: "skills[0].tags", size: 33, limit: 32)) { try AgentCard(abiEncoded: card.abiEncoded()) }
        card = try Self.sample()
        card.name = "  \n "
        #expect(throws: CardError.missingField("name")) { try AgentCard(abiEncoded: card.abiEncoded()) }
        var small = CardLimits()
        small.maxEncodedBytes = 100
        #expect(throws: CardError.tooLarge(bytes: try Self.sample().abiEncoded().count, limit: 100)) {
            try AgentCard(abiEncoded: Self.sample().abiEncoded(), limits: small)
        }
    }

    @Test func garbageAndInvalidUTF8AreUndecodable() throws {
        var rng = SystemRandomNumberGenerator()
        for length in [0, 1, 31, 32, 64, 500, 4096] {
            let garbage = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(throws: CardError.self) { try AgentCard(abiEncoded: garbage) }
        }
        // Flip a byte of the name to 0xff: the string is no longer UTF-8.
        var bytes = try Self.sample().abiEncoded()
        let nameBytes = Array("LexTranslate".utf8)
        let at = try #require(bytes.indices.first { Array(bytes[$0..<min($0 + nameBytes.count, bytes.count)]) == nameBytes })
        bytes[at] = 0xff
        do {
            _ = try AgentCard(abiEncoded: bytes)
            Issue.record("expected invalid UTF-8 to be refused")
        } catch {
            #expect(error.description.contains("UTF-8"))
        }
    }

    @Test func searchTextIsNormalised() {
        #expect(SearchText.normalize("  Legal\u{0}  PDFs\n→ German\u{200B} ") == "legal pdfs → german")
        #expect(SearchText.normalize("") == "")
    }
}
