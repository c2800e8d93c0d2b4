import EthereumCore
import Foundation
import Testing

/// What agents as clients get: A2A v1.0 cards (and v0.3, and dual) and signed answers, checked
/// with the devnet venv's JSON Schema validator and `eth_account`.
@Suite("Agents as clients: A2A v1.0 cards, signed answers", .serialized)
struct AgentClientsTests {
    /// The v0.3-only fields a dual card adds to the v1.0 card.
    static let v03Fields = ["url", "protocolVersion", "preferredTransport"]

    @Test("every card is served as v1.0 (valid against the v1.0 schema), v0.3 and dual; a card v1.0 cannot express is a 409 with the reason")
    func cardVersions() throws {
        let (devnet, dir, db) = try indexedDevnet()
        defer { devnet.stop() }
        let server = try AgentIndexProcess(["serve", "--db", db])
        defer { server.stop() }
        let api = DiscoveryEndToEndTests.Recorder(server)
        let agents = try api.get("/v1/agents?limit=100&active=any", template: "/v1/agents").body["agents"]?.arrayValue ?? []
        #expect(agents.count >= 20)
        var v1Cards: [String] = [], v03Cards: [String] = []
        var refused = 0
        for agent in agents {
            let id = try #require(agent["id"]?.stringValue)
            let template = "/v1/agents/{id}/card"
            let v03 = try api.get("/v1/agents/\(id)/card?a2aVersion=0.3", template: template)
            #expect(v03.status == 200)
            v03Cards.append(v03.body.serialized())
            let v1 = try api.get("/v1/agents/\(id)/card", template: template)
            let dual = try api.get("/v1/agents/\(id)/card?a2aVersion=dual", template: template)
            #expect(try api.get("/v1/agents/\(id)/card?a2aVersion=1.0", template: template).body == v1.body)
            guard v1.status == 200 else {
                #expect(v1.status == 409 && v1.body["error"]?["code"]?.stringValue == "card_not_v1", "\(id): \(v1.body.serialized())")
                #expect(dual.status == 409)
                refused += 1
                continue
            }
            v1Cards.append(v1.body.serialized())
            #expect(v1.body["supportedInterfaces"]?[0]?["url"] == v03.body["url"])
            #expect(v1.body["supportedInterfaces"]?[0]?["protocolBinding"]?.stringValue == "JSONRPC")
            #expect(v1.body["supportedInterfaces"]?[0]?["protocolVersion"] == v03.body["protocolVersion"])
            #expect(v1.body["capabilities"]?["stateTransitionHistory"] == nil)
            for field in Self.v03Fields { #expect(v1.body[field] == nil, "\(field) in a v1.0 card") }
            // The dual card is the v1.0 card plus the v0.3 fields, with the v0.3 card's values.
            #expect(dual.status == 200)
            #expect(dual.body["url"] == v03.body["url"] && dual.body["protocolVersion"] == v03.body["protocolVersion"])
            #expect(dual.body["capabilities"]?["stateTransitionHistory"] == v03.body["capabilities"]?["stateTransitionHistory"])
            #expect(Self.withoutV03Fields(dual.body) == v1.body, "\(id): dual minus the v0.3 fields is the v1.0 card")
        }
        #expect(v1Cards.count == agents.count - refused && v1Cards.count >= 20)
        #expect(try api.get("/v1/agents/\(agents[0]["id"]!.stringValue!)/card?a2aVersion=2.0", template: "/v1/agents/{id}/card").status == 400)
        #expect(try api.get("/v1/agents/\(agents[0]["id"]!.stringValue!)/card?version=1.0", template: "/v1/agents/{id}/card").status == 400)

        for (cards, schema) in [(v1Cards, "schemas/agent-card-v1.schema.json"), (v03Cards, "schemas/agent-card.schema.json")] {
            let file = dir.path("cards.jsonl")
            try (cards.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let check = try runCommand(Paths.devnet, ["validate-cards", "--schema", Paths.root.appendingPathComponent(schema).path, "--cards", file])
            #expect(check.status == 0, "\(schema): \(check.stdout)\(check.stderr)")
        }
        try api.checkAgainstSpec(in: dir)
    }

    @Test("answers carry the indexed block and a signature eth_account recovers to the indexer's address; a changed byte, path or block does not")
    func signedAnswers() throws {
        let (devnet, dir, db) = try indexedDevnet()
        defer { devnet.stop() }
        let key = dir.path("index.sqlite.key")
        #expect(!FileManager.default.fileExists(atPath: key))
        let server = try AgentIndexProcess(["serve", "--db", db])
        defer { server.stop() }
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "the key file is created with mode 0600")
        let signer = try #require(server.get("/status").body["signer"]?.stringValue)
        #expect(try EthereumAddress(signer).checksummed == signer)
        let head = try #require(devnet.info["headBlock"]?.serialized())

        let search = "/v1/agents?q=legal%20german&limit=3"   // asked twice: the second signature is the remembered one
        for path in [search, "/v1/agents/eip155:31337:\(devnet.agent(named: "LexTranslate") ?? "")/reputation", "/status", "/health", search] {
            let check = try runCommand(Paths.devnet, ["verify-answer", server.baseURL + path])
            #expect(check.status == 0, "\(check.stderr)")
            let result = try JSONValue(parsing: check.stdout)
            #expect(result["recovered"]?.stringValue == signer, "\(path): \(check.stdout)")
            #expect(result["block"]?.stringValue?.hasPrefix("31337:\(head):0x") == true, "\(result["block"]?.serialized() ?? "")")
            for changed in ["bodyChanged", "pathChanged", "blockChanged"] {
                #expect(result[changed]?.stringValue != signer, "\(path): \(changed) still recovers the signer")
            }
        }
        // Errors are not signed; the same key signs after a restart.
        let missing = try runCommand("/usr/bin/curl", ["-s", "-D", "-", "-o", "/dev/null", server.baseURL + "/v1/agents/eip155:1:0x0000000000000000000000000000000000000001"])
        #expect(!missing.stdout.lowercased().contains("agentindex-signature"))
        server.stop()
        let again = try AgentIndexProcess(["serve", "--db", db])
        defer { again.stop() }
        #expect(try again.get("/status").body["signer"]?.stringValue == signer)

        // A key file others may read is refused.
        chmod(key, 0o644)
        let open = try runCommand(Paths.binary, ["serve", "--db", db, "--listen", "127.0.0.1:0"])
        #expect(open.status == 1 && open.stderr.contains("chmod 600"), "\(open.stderr)")
        chmod(key, 0o600)

        // A snapshot manifest is signed by the same key.
        let out = dir.path("reputation.csv")
        let export = try runCommand(Paths.binary, ["export", "reputation", "--db", db, "--format", "csv", "--out", out])
        #expect(export.status == 0, "\(export.stderr)")
        let manifest = try JSONValue(parsing: try runCommand(Paths.devnet, ["verify-manifest", out + ".manifest.json"]).stdout)
        #expect(manifest["signer"]?.stringValue == signer && manifest["recovered"]?.stringValue == signer, "\(manifest.serialized())")
        #expect(manifest["manifestChanged"]?.stringValue != signer)
        #expect(manifest["block"]?.stringValue?.hasPrefix("31337:\(head):0x") == true)
    }

    @Test("AgentIndex as an A2A agent: the a2a-sdk resolves its card, asks in v1.0 and v0.3, gets the REST API's agents and reads the task back; JSON-RPC errors are the ones A2A names")
    func a2aAgent() throws {
        let (devnet, dir, db) = try indexedDevnet()
        defer { devnet.stop() }
        let server = try AgentIndexProcess(["serve", "--db", db])
        defer { server.stop() }
        let signer = try #require(server.get("/status").body["signer"]?.stringValue)
        func names(_ result: JSONValue?) -> [String] { result?["agents"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [] }

        for (version, arguments, rest) in [("1.0", ["--text", "legal german"], "q=legal%20german"),
                                           ("0.3", ["--text", "translation", "--data", #"{"sort":"score","limit":2}"#], "q=translation&sort=score&limit=2")] {
            let asked = try runCommand(Paths.devnet, ["a2a-ask", server.baseURL, "--version", version] + arguments)
            #expect(asked.status == 0, "\(asked.stderr.suffix(2000))")
            let answer = try JSONValue(parsing: asked.stdout)
            let task = answer["task"]
            #expect(task?["status"]?["state"]?.stringValue == "TASK_STATE_COMPLETED")
            let parts = task?["artifacts"]?[0]?["parts"]
            let expected = names(try server.get("/v1/agents?" + rest).body)
            #expect(!expected.isEmpty && names(parts?[0]?["data"]) == expected, "v\(version): the same agents as GET /v1/agents?\(rest)")
            #expect(parts?[1]?["text"]?.stringValue?.contains(expected[0]) == true, "the summary names the first agent")
            let again = answer["again"]?["artifacts"]?[0]?["parts"]   // protobuf Structs keep no key order: compare what they say
            #expect(answer["again"]?["id"] == task?["id"] && names(again?[0]?["data"]) == expected && again?[1] == parts?[1], "GetTask returns the task")
            #expect(answer["errors"]?["unknownTask"]?.stringValue == "TaskNotFoundError")
            let card = try #require(answer["card"])
            #expect(card["skills"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["find-agents", "agent-reputation"])
            #expect(card["capabilities"]?["extensions"]?[0]?["params"]?["address"]?.stringValue == signer)
        }

        // The card is a dual card: without its v0.3 fields it is a valid v1.0 card.
        let card = try server.get("/.well-known/agent-card.json")
        #expect(card.status == 200 && card.body["supportedInterfaces"]?[0]?["url"]?.stringValue == server.baseURL + "/a2a")
        let file = dir.path("card.jsonl")
        try (Self.withoutV03Fields(card.body).serialized() + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let check = try runCommand(Paths.devnet, ["validate-cards", "--schema", Paths.root.appendingPathComponent("schemas/agent-card-v1.schema.json").path, "--cards", file])
        #expect(check.status == 0, "\(check.stdout)")

        // A reputation through a data part; errors by code.
        let lex = "eip155:31337:" + (devnet.agent(named: "LexTranslate") ?? "")
        func rpc(_ body: String) throws -> JSONValue {
            try JSONValue(parsing: runCommand("/usr/bin/curl", ["-s", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body, server.baseURL + "/a2a"]).stdout)
        }
        let reputation = try rpc(#"{"jsonrpc":"2.0","id":7,"method":"SendMessage","params":{"message":{"messageId":"r","role":"ROLE_USER","parts":[{"data":{"agentId":"\#(lex)"}}]}}}"#)
        #expect(reputation["result"]?["task"]?["artifacts"]?[0]?["parts"]?[0]?["data"] == (try server.get("/v1/agents/\(lex)/reputation").body))
        let message = #"{"messageId":"m","role":"ROLE_USER","parts":[{"text":"legal"}]}"#
        let sent = try rpc(#"{"jsonrpc":"2.0","id":8,"method":"SendMessage","params":{"message":\#(message)}}"#)
        let taskID = try #require(sent["result"]?["task"]?["id"]?.stringValue)
        for (body, code) in [("{not json", -32700), (#"{"jsonrpc":"2.0","method":"SendMessage"}"#, -32600), (#"[1,2]"#, -32600),
                             (#"{"jsonrpc":"2.0","id":1,"method":"tasks/list"}"#, -32601),
                             (#"{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{}}"#, -32602),
                             (#"{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"data":{"limit":500}}]}}}"#, -32602),
                             (#"{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"url":"https://x.example/a.pdf"}]}}}"#, -32005),
                             (#"{"jsonrpc":"2.0","id":1,"method":"SendStreamingMessage","params":{"message":\#(message)}}"#, -32004),
                             (#"{"jsonrpc":"2.0","id":1,"method":"tasks/cancel","params":{"id":"\#(taskID)"}}"#, -32002),
                             (#"{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"nope"}}"#, -32001),
                             (#"{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"\#(String(repeating: "x", count: 70_000))"}]}}}"#, -32600)] {
            let answer = try rpc(body)
            #expect(answer["error"]?["code"] == .number(String(code)), "\(body.prefix(120)): \(answer.serialized().prefix(300))")
        }
        #expect(try runCommand("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", server.baseURL + "/a2a"]).stdout == "405")
    }

    @Test("MCP: the Python mcp SDK lists the five tools and calls each over Streamable HTTP and stdio, and gets what the REST API answers", arguments: ["http", "stdio"])
    func mcpTools(transport: String) throws {
        let (devnet, dir, db) = try indexedDevnet("erc8004")
        defer { devnet.stop(); withExtendedLifetime(dir) {} }
        let server = try AgentIndexProcess(["serve", "--db", db])
        defer { server.stop() }
        let identity = try #require(devnet.info["contracts"]?["identityRegistry"]?["address"]?.stringValue)
        let quill = "eip155:31337/erc721:\(identity)/\(devnet.info["erc8004"]?["quill"]?.serialized() ?? "0")"
        let searches: [(arguments: String, rest: String)] = [
            (#"{"q":"contracts german"}"#, "q=contracts%20german"),
            (#"{"standard":"erc8004","service":"mcp","limit":3}"#, "standard=erc8004&service=mcp&limit=3"),
            (#"{"x402":true,"sort":"score","chainId":31337}"#, "x402=true&sort=score&chainId=31337"),
        ]
        var calls = searches.map { #"{"tool":"search_agents","arguments":\#($0.arguments)}"# }
        calls += [#"{"tool":"get_agent","arguments":{"id":"\#(quill)"}}"#, #"{"tool":"get_reputation","arguments":{"id":"\#(quill)"}}"#,
                  #"{"tool":"get_feedback","arguments":{"id":"\#(quill)","limit":3}}"#, #"{"tool":"get_card","arguments":{"id":"\#(quill)"}}"#,
                  #"{"tool":"search_agents","arguments":{"limit":0}}"#, #"{"tool":"get_agent","arguments":{"id":"eip155:31337:0x0000000000000000000000000000000000000001"}}"#]
        let command = transport == "http" ? ["mcp-call", "--url", server.baseURL + "/mcp", "--calls", "[" + calls.joined(separator: ",") + "]"]
            : ["mcp-call", "--calls", "[" + calls.joined(separator: ",") + "]", "--", Paths.binary, "mcp", "--db", db]
        let run = try runCommand(Paths.devnet, command)
        #expect(run.status == 0, "\(run.stderr.suffix(3000))")
        let answer = try JSONValue(parsing: run.stdout)
        let tools = answer["tools"]?.arrayValue ?? []
        #expect(tools.compactMap { $0["name"]?.stringValue } == ["search_agents", "get_agent", "get_card", "get_reputation", "get_feedback"])
        #expect(tools.allSatisfy { $0["inputSchema"]?["type"]?.stringValue == "object" && $0["outputSchema"]?["type"]?.stringValue == "object" })
        let results = try #require(answer["results"])
        for (index, search) in searches.enumerated() {
            let rest = try server.get("/v1/agents?" + search.rest).body
            let found = results["search_agents"]?[index]?["structured"]
            #expect(found?["agents"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == rest["agents"]?.arrayValue?.compactMap { $0["id"]?.stringValue },
                    "\(transport) \(search.arguments)")
            #expect(rest["agents"]?.arrayValue?.isEmpty == false)
        }
        // The text is the REST API's JSON, byte for byte; the structured content says the same (an MCP
        // SDK's JSON value keeps no key order).
        for (tool, path) in [("get_agent", "/v1/agents/\(quill)"), ("get_reputation", "/v1/agents/\(quill)/reputation"),
                             ("get_feedback", "/v1/agents/\(quill)/feedback?limit=3")] {
            let rest = try server.get(path).body
            let text = try JSONValue(parsing: results[tool]?[0]?["text"]?[0]?.stringValue ?? "")
            #expect(text == rest, "\(transport) \(tool)")
            #expect(Self.sortedKeys(results[tool]?[0]?["structured"] ?? .null) == Self.sortedKeys(rest), "\(transport) \(tool)")
        }
        #expect(results["get_card"]?[0]?["isError"] == .bool(true), "Quill's card is not fetched (--no-fetch)")
        #expect(results["search_agents"]?[3]?["isError"] == .bool(true)
                && results["search_agents"]?[3]?["text"]?[0]?.stringValue?.contains("limit") == true)
        #expect(results["get_agent"]?[1]?["isError"] == .bool(true) && results["get_agent"]?[1]?["text"]?[0]?.stringValue?.contains("no agent") == true)
    }

    @Test("CORS for the configured origins (preflight and answers, signature headers exposed); a per-client rate limit answers 429 with Retry-After; other methods 405 with Allow")
    func browsersAndLimits() throws {
        let (devnet, dir, db) = try indexedDevnet("empty")
        defer { devnet.stop() }
        let config = dir.path("api.yaml")
        try "api:\n  cors: [\"https://app.example\"]\n  rateLimit: {perSecond: 0.2, burst: 3}\n".write(toFile: config, atomically: true, encoding: .utf8)
        let server = try AgentIndexProcess(["serve", "--db", db, "--config", config])
        defer { server.stop() }
        func headers(_ arguments: [String]) throws -> (status: String, headers: String) {
            let out = try runCommand("/usr/bin/curl", ["-s", "-D", "-", "-o", "/dev/null"] + arguments).stdout
            return (String(out.split(separator: " ").dropFirst().first ?? ""), out.lowercased())
        }
        let allowed = try headers(["-H", "Origin: https://app.example", server.baseURL + "/v1/agents"])
        #expect(allowed.headers.contains("access-control-allow-origin: https://app.example"), "\(allowed.headers)")
        #expect(allowed.headers.contains("access-control-expose-headers: agentindex-block, agentindex-signature, etag, retry-after"))
        let other = try headers(["-H", "Origin: https://evil.example", server.baseURL + "/health"])
        #expect(other.status == "200" && !other.headers.contains("access-control-allow-origin"))
        let preflight = try headers(["-X", "OPTIONS", "-H", "Origin: https://app.example", "-H", "Access-Control-Request-Method: GET",
                                     server.baseURL + "/v1/agents"])
        #expect(preflight.status == "204" && preflight.headers.contains("access-control-allow-methods: get, head, post, options"), "\(preflight.headers)")
        let post = try headers(["-X", "POST", server.baseURL + "/v1/agents"])
        #expect(post.status == "405" && post.headers.contains("allow: get, head"), "\(post.headers)")
        // Three requests were the burst (the preflight is answered before the limit); the fourth waits for a token.
        let limited = try headers([server.baseURL + "/health"])
        #expect(limited.status == "429" && limited.headers.contains("retry-after: "), "\(limited.headers)")
    }

    /// `value` with every object's members in key order.
    static func sortedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.map { ($0.0, sortedKeys($0.1)) }.sorted { $0.0 < $1.0 })
        case .array(let items): .array(items.map(sortedKeys))
        default: value
        }
    }

    static func withoutV03Fields(_ card: JSONValue) -> JSONValue {
        guard case .object(let members) = card else { return card }
        return .object(members.compactMap { name, value in
            if v03Fields.contains(name) { return nil }
            if name == "capabilities", case .object(let capabilities) = value {
                return (name, .object(capabilities.filter { $0.0 != "stateTransitionHistory" }))
            }
            return (name, value)
        })
    }
}
