import AgentCards
import EthereumCore
import Testing

/// Cards served as A2A v1.0 and dual: what v1.0 requires, what it leaves out, conversions both ways.
@Suite("A2A v1.0 cards served")
struct A2AV1CardTests {
    @Test("a contract card becomes a v1.0 card with one JSON-RPC interface and no v0.3 fields; dual adds them back")
    func contractCard() throws {
        let card = try AgentCardTests.sample()
        let v1 = try card.a2aJSON(version: .v10)
        #expect(v1["supportedInterfaces"] == .array([.object([("url", .string(card.url)), ("protocolBinding", .string("JSONRPC")),
                                                                ("protocolVersion", .string("0.3.0"))])]))
        for key in ["url", "protocolVersion", "preferredTransport", "iconUrl"] { #expect(v1[key] == nil, "\(key)") }
        #expect(v1["capabilities"]?["stateTransitionHistory"] == nil && v1["capabilities"]?["streaming"] == .bool(true))
        #expect(v1["skills"]?.arrayValue?[0]["examples"] == .array([.string("Translate this NDA")]) && v1["skills"]?.arrayValue?[0]["inputModes"] == nil)
        let dual = try card.a2aJSON(version: .dual)
        #expect(dual["url"] == .string(card.url) && dual["protocolVersion"] == .string("0.3.0"))
        #expect(dual["preferredTransport"] == .string("JSONRPC") && dual["capabilities"]?["stateTransitionHistory"] == .bool(false))
        #expect(dual["supportedInterfaces"] == v1["supportedInterfaces"])
        #expect(try card.a2aJSON(version: .v03) == card.a2aJSON())
    }

    @Test("what v1.0 requires and a card leaves empty is refused, naming the field", arguments: [
        ("skills", "skills is empty"), ("tags", "skills[0].tags is empty"), ("inputModes", "defaultInputModes is empty"),
        ("emptyTag", "skills[0].tags[0] is an empty string"), ("version", "version is empty"), ("url", "url is empty"),
        ("description", "description is empty"), ("provider", "provider.url is empty"), ("skillName", "skills[0].name is empty"),
    ])
    func refusals(field: String, reason: String) throws {
        var card = try AgentCardTests.sample()
        switch field {
        case "skills": card.skills = []
        case "tags": card.skills[0].tags = []
        case "inputModes": card.defaultInputModes = []
        case "emptyTag": card.skills[0].tags = ["", "legal"]
        case "version": card.version = ""
        case "url": card.url = ""
        case "description": card.description = ""
        case "provider": card.provider = .init(organization: "Lex GmbH", url: "")
        default: card.skills[0].name = ""
        }
        do {
            _ = try card.a2aJSON(version: .v10)
            Issue.record("\(field): converted")
        } catch {
            #expect(error.description.hasPrefix(reason), "\(error.description)")
        }
        #expect(throws: A2AV1Error.self) { try card.a2aJSON(version: .dual) }
        #expect(card.a2aJSON()["name"] != nil, "the v0.3 card is still served")
    }

    @Test("off-chain cards convert both ways: a v1.0 card's binding and version survive into v0.3 and back")
    func conversions() throws {
        let v10 = try AgentCard(a2aJSON: Array(A2ACardJSONTests.v10.utf8))
        let v1 = try v10.a2aJSON(version: .v10)
        #expect(v1["supportedInterfaces"]?.arrayValue?[0]["protocolVersion"] == .string("1.0"))
        #expect(try AgentCard(a2aJSON: v10.a2aJSON()) == v10, "v1.0 → model → v0.3 → model")
        #expect(try AgentCard(a2aJSON: v1) == v10, "v1.0 → model → v1.0 → model")
        let v03 = try AgentCard(a2aJSON: Array(A2ACardJSONTests.v03.utf8))
        #expect(try v03.a2aJSON(version: .v10)["supportedInterfaces"]?.arrayValue?[0]["url"] == .string("https://lex.example/a2a"))
        #expect(try AgentCard(a2aJSON: v03.a2aJSON(version: .dual)) == v03)
        let grpc = try AgentCard(a2aJSON: Array(#"""
            {"name":"G","description":"d","version":"1","supportedInterfaces":[{"url":"https://g.example","protocolBinding":"GRPC","protocolVersion":"1.0"}],
             "capabilities":{},"defaultInputModes":["text/plain"],"defaultOutputModes":["text/plain"],
             "skills":[{"id":"s","name":"S","description":"d","tags":["t"]}]}
            """#.utf8))
        #expect(grpc.protocolBinding == "GRPC")
        #expect(try grpc.a2aJSON(version: .v10)["supportedInterfaces"]?.arrayValue?[0]["protocolBinding"] == .string("GRPC"))
        #expect(grpc.a2aJSON()["preferredTransport"] == .string("GRPC"))
        #expect(try AgentCard(a2aJSON: grpc.a2aJSON()) == grpc)
    }

    @Test("query values name the versions", arguments: [("1.0", A2AVersion.v10), ("1", .v10), ("0.3", .v03), ("0.3.0", .v03), ("dual", .dual)])
    func queryValues(text: String, version: A2AVersion) {
        #expect(A2AVersion(query: text) == version)
        #expect(A2AVersion(query: nil) == .v10 && A2AVersion(query: "2.0") == nil && A2AVersion(query: "") == nil)
    }
}
