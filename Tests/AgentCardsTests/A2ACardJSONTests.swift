import AgentCards
import EthereumCore
import Testing

/// A2A cards served as JSON, v1.0, v0.3 and dual, read into the one card model.
@Suite("A2A card JSON")
struct A2ACardJSONTests {
    static let payTo = "0x00000000000000000000000000000000000000b2"
    static let usdc = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"

    static let v03 = #"""
    {"name":"LexTranslate","description":"Legal translation","url":"https://lex.example/a2a","version":"2.1.0",
     "protocolVersion":"0.3.0","provider":{"organization":"Lex GmbH","url":"https://lex.example"},
     "capabilities":{"streaming":true,"extensions":[{"uri":"https://github.com/google-a2a/a2a-x402/v0.1","required":false,
       "params":{"accepts":[{"scheme":"exact","network":"base","asset":"\#(usdc)","maxAmountRequired":"250000","payTo":"\#(payTo)"},
                            {"scheme":"exact","network":"eip155:8453","asset":"not an address","amount":"1","payTo":"\#(payTo)"}]}}]},
     "defaultInputModes":["application/pdf"],"defaultOutputModes":["text/plain"],
     "skills":[{"id":"translate-legal","name":"Translate legal PDFs","description":"DE/EN","tags":["legal","german"],
                "examples":["Translate this contract"]}],"unknownField":{"x":1}}
    """#

    static let v10 = #"""
    {"name":"Ledgerly","description":"Bookkeeping","version":"1.0.0",
     "supportedInterfaces":[{"url":"https://ledgerly.example/rpc","protocolBinding":"JSONRPC","protocolVersion":"1.0"},
                            {"url":"https://ledgerly.example/grpc","protocolBinding":"GRPC","protocolVersion":"1.0"}],
     "capabilities":{"extensions":[{"uri":"https://github.com/google-agentic-commerce/a2a-x402/blob/main/spec/v0.2",
       "params":{"accepts":[{"scheme":"exact","network":"eip155:8453","asset":"\#(usdc)","amount":"1000","payTo":"\#(payTo)"}]}}]},
     "defaultInputModes":["text/csv"],"defaultOutputModes":["application/json"],
     "skills":[{"id":"reconcile","name":"Reconcile","description":"Bank reconciliation","tags":["finance"]}],
     "signatures":[{"protected":"e30","signature":"AA"}]}
    """#

    @Test("a v0.3 card: top-level url and protocolVersion, provider, x402 v1 terms (a bad entry skipped)")
    func v03Card() throws {
        let card = try AgentCard(a2aJSON: Array(Self.v03.utf8))
        #expect(card.name == "LexTranslate" && card.url == "https://lex.example/a2a" && card.protocolVersion == "0.3.0")
        #expect(card.provider?.organization == "Lex GmbH" && card.capabilities.streaming)
        #expect(card.skills.map(\.tags) == [["legal", "german"]] && card.skills[0].examples == ["Translate this contract"])
        #expect(card.payments.count == 1 && card.payments[0].amount == UInt256(250_000) && card.payments[0].network == "base")
        #expect(card.payments[0].payTo == (try EthereumAddress(Self.payTo)))
        #expect(card.extensions.isEmpty)   // the x402 entry is served as the terms
    }

    @Test("a v1.0 card: the first interface gives url and protocolVersion; x402 v2 terms; other extensions kept")
    func v10Card() throws {
        let card = try AgentCard(a2aJSON: Array(Self.v10.utf8))
        #expect(card.url == "https://ledgerly.example/rpc" && card.protocolVersion == "1.0")
        #expect(card.payments.map(\.amount) == [UInt256(1_000)] && X402Network.chainID(card.payments[0].network) == 8_453)
        #expect(card.extensions.map(\.uri) == ["https://github.com/google-agentic-commerce/a2a-x402/blob/main/spec/v0.2"])
    }

    @Test("a dual card reads its v0.3 fields first")
    func dualCard() throws {
        let dual = Self.v10.replacingOccurrences(of: #""version":"1.0.0","#, with: #""version":"1.0.0","url":"https://ledgerly.example/v03","protocolVersion":"0.3.0","#)
        let card = try AgentCard(a2aJSON: Array(dual.utf8))
        #expect(card.url == "https://ledgerly.example/v03" && card.protocolVersion == "0.3.0")
    }

    @Test("broken cards are refused with the field named", arguments: [
        (#"[]"#, "not a JSON object"), (#"{"name":" "}"#, "name is empty"), (#"{"name":"x","skills":{}}"#, "skills is not a list"),
        (#"{"name":"x","skills":[{"id":7}]}"#, "skills[0].id is not a string"), (#"{"name":"x""#, "not JSON"),
        (#"{"name":"x","capabilities":{"streaming":"yes"}}"#, "capabilities.streaming is not a boolean"),
    ])
    func refused(_ json: String, _ reason: String) {
        do {
            _ = try AgentCard(a2aJSON: Array(json.utf8))
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
        }
    }

    @Test("limits: size, depth and list lengths")
    func limits() {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(throws: CardError.self) { try AgentCard(a2aJSON: Array(#"{"name":"x","extra":\#(deep)}"#.utf8)) }
        let skills = (0..<65).map { #"{"id":"s\#($0)","name":"n","description":"d","tags":["t"]}"# }.joined(separator: ",")
        #expect(throws: CardError.self) { try AgentCard(a2aJSON: Array(#"{"name":"x","skills":[\#(skills)]}"#.utf8)) }
        #expect(throws: CardError.self) { try AgentCard(a2aJSON: [UInt8](repeating: 0x20, count: 70_000)) }
    }

    @Test("x402 networks: CAIP-2 and v1 names")
    func networks() {
        #expect(X402Network.chainID("eip155:8453") == 8_453 && X402Network.chainID("EIP155:1") == 1)
        #expect(X402Network.chainID("base-sepolia") == 84_532 && X402Network.chainID("Base") == 8_453)
        for other in ["solana", "eip155:", "eip155:0x1", "eip155:01", "eip155:99999999999999999999999"] { #expect(X402Network.chainID(other) == nil) }
    }
}
