import EthereumCore
import Foundation
import Testing

/// The built binary against the real devnet: index the demo scenario, serve it, query it.
@Suite("End to end: index the demo chain and discover its agents", .serialized)
struct DiscoveryEndToEndTests {
    /// Records each response for the OpenAPI check.
    final class Recorder {
        var lines: [String] = []
        let server: AgentIndexProcess
        init(_ server: AgentIndexProcess) { self.server = server }

        func get(_ path: String, template: String) throws -> (status: Int, body: JSONValue) {
            let answer = try server.get(path)
            lines.append(JSONValue.object([("method", .string("get")), ("path", .string(template)),
                                           ("status", .number(String(answer.status))), ("body", answer.body)]).serialized())
            return answer
        }

        /// Records a response whose body is not JSON (a CSV snapshot): status only.
        func status(_ path: String, template: String) throws -> Int {
            let result = try runCommand("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", server.baseURL + path])
            let code = Int(result.stdout) ?? 0
            lines.append(JSONValue.object([("method", .string("get")), ("path", .string(template)),
                                           ("status", .number(String(code))), ("body", .null)]).serialized())
            return code
        }

        /// Writes the recorded responses to `dir` and checks them against schemas/openapi.yaml
        /// (`partial`: the test need not exercise every operation).
        func checkAgainstSpec(in dir: TemporaryDirectory, partial: Bool = true) throws {
            let responses = dir.path("responses.jsonl")
            try (lines.joined(separator: "\n") + "\n").write(toFile: responses, atomically: true, encoding: .utf8)
            let check = try runCommand(Paths.devnet, ["validate-api", "--spec", Paths.root.appendingPathComponent("schemas/openapi.yaml").path,
                                                      "--responses", responses] + (partial ? ["--partial"] : []))
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        }

        func names(_ query: String) throws -> [String] {
            let answer = try get("/v1/agents?" + query, template: "/v1/agents")
            #expect(answer.status == 200, "\(query): \(answer.body.serialized())")
            return answer.body["agents"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        }
    }

    @Test("demo: all agents found by text, skill, mode and payment terms; life-cycle events and hostile cards handled; responses match the schemas")
    func demo() throws {
        let devnet = try Devnet()
        defer { devnet.stop() }
        let dir = try TemporaryDirectory()
        let db = dir.path("index.sqlite")

        let indexed = try runCommand(Paths.binary, ["index", "--once", "--db", db, "--log-level", "warning"] + devnet.indexFlags)
        #expect(indexed.status == 0, "\(indexed.stderr)")
        let report = try JSONValue(parsing: indexed.stdout.split(separator: "\n").last.map(String.init) ?? "")
        #expect(report["event"]?.stringValue == "caughtUp")
        #expect(report["indexedBlock"] == devnet.info["headBlock"])

        let server = try AgentIndexProcess(["serve", "--db", db])
        defer { server.stop() }
        let api = Recorder(server)
        let roles = try #require(devnet.info["roles"])
        func id(_ address: String) -> String { "eip155:31337:\(address)" }

        // Every demo agent is found, except the delisted one and the deactivated one.
        let all = try api.names("limit=100")
        let deactivated = try #require(roles["deactivatedAgent"]?.stringValue)
        let expected = (devnet.info["agents"]?.arrayValue ?? []).filter {
            $0["name"]?.stringValue != "DelistedBot" && $0["address"]?.stringValue != deactivated
        }.compactMap { $0["name"]?.stringValue }
        #expect(Set(all) == Set(expected))
        #expect(all.count == expected.count)
        #expect(try api.names("limit=100&active=any").count == expected.count + 1)

        // Text: the best match first; skills, modes and payment terms filter.
        #expect(try api.names("q=legal%20german").first == "LexTranslate")
        #expect(try api.names("q=translation").prefix(2).contains("PolyglotMT"))
        #expect(try api.names("q=sql") == ["SQLSage"])
        #expect(try api.names("skill=translate-legal") == ["LexTranslate"])
        #expect(try api.names("skill=Text%20to%20SQL") == ["SQLSage"])
        #expect(Set(try api.names("inputMode=application/pdf")).isSuperset(of: ["LexTranslate", "SummarizeIt", "InvoiceParser"]))
        let pngMakers = try api.names("outputMode=image/png")
        #expect(pngMakers.contains("PixelForge") && !pngMakers.contains("InvoiceParser"))
        #expect(try api.names("asset=native") == ["TravelPlanner"])
        let usdc = try #require(devnet.info["contracts"]?["usdc"]?["address"]?.stringValue)
        let paidInUSDC = try api.names("asset=\(usdc)&network=base&limit=100")
        #expect(paidInUSDC.contains("LexTranslate") && !paidInUSDC.contains("TravelPlanner") && !paidInUSDC.contains("WeatherOracle"))
        #expect(try api.names("tag=GERMAN&source=registry") == ["LexTranslate", "IndieTranslator"])

        // Paging: two by two, everything once.
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try api.get("/v1/agents?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), template: "/v1/agents")
            seen += page.body["agents"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            cursor = page.body["nextCursor"]?.stringValue
        } while cursor != nil
        #expect(seen == all)

        // A card update shows the new card and keeps the history.
        let updated = try #require(roles["updatedAgent"]?.stringValue)
        let record = try api.get("/v1/agents/\(id(updated))", template: "/v1/agents/{id}")
        #expect(record.body["cardVersions"] == .number("2"))
        #expect(record.body["card"]?["version"]?.stringValue == "1.1.0")
        #expect(try api.names("q=60%20languages") == ["PolyglotMT"])
        let card = try api.get("/v1/agents/\(id(updated))/card", template: "/v1/agents/{id}/card")
        #expect(card.body["description"]?.stringValue?.contains("60 languages") == true)

        // Registries: revoke and unregister change the source; an agent listed by no source is gone.
        let revoked = try api.get("/v1/agents/\(id(try #require(roles["revokedAgent"]?.stringValue)))", template: "/v1/agents/{id}")
        #expect(revoked.body["sources"]?.arrayValue?.compactMap { $0["status"]?.stringValue }.sorted() == ["created", "revoked"])
        let unregistered = try api.get("/v1/agents/\(id(try #require(roles["unregisteredAgent"]?.stringValue)))", template: "/v1/agents/{id}")
        #expect(unregistered.body["sources"]?.arrayValue?.compactMap { $0["status"]?.stringValue }.contains("unregistered") == true)
        let delisted = try api.get("/v1/agents/\(id(try #require(roles["delistedAgent"]?.stringValue)))", template: "/v1/agents/{id}")
        #expect(delisted.body["listed"] == .bool(false))
        #expect(try api.names("q=retired").isEmpty)
        let transferred = try api.get("/v1/agents/\(id(try #require(roles["transferredAgent"]?.stringValue)))", template: "/v1/agents/{id}")
        #expect(transferred.body["owner"] == devnet.info["accounts"]?["owners"]?.arrayValue?[3])

        // Hostile cards: recorded invalid with a reason, never searchable.
        for (kind, reason) in [("reverting", "reverted"), ("garbage", "decode"), ("oversized", "limit")] {
            let address = try #require(roles["hostileAgents"]?[kind]?.stringValue)
            let hostile = try api.get("/v1/agents/\(id(address))", template: "/v1/agents/{id}")
            #expect(hostile.body["valid"] == .bool(false))
            #expect(hostile.body["invalidReason"]?.stringValue?.contains(reason) == true, "\(kind): \(hostile.body.serialized())")
            let hostileCard = try api.get("/v1/agents/\(id(address))/card", template: "/v1/agents/{id}/card")
            #expect(hostileCard.status == 404 && hostileCard.body["error"]?["code"]?.stringValue == "card_invalid")
        }
        let status = try api.get("/status", template: "/status")
        #expect(status.body["chains"]?.arrayValue?.first?["invalidCards"] == .number("3"))

        // Errors: JSON, 4xx, never 500.
        #expect(try api.names("q=%22(").isEmpty, "text with no words matches nothing")
        for (query, code) in [("q=", "invalid_parameter"), ("limit=0", "invalid_parameter"), ("limit=101", "invalid_parameter"),
                              ("tag=" + String(repeating: "a", count: 129), "invalid_parameter"), ("cursor=1.", "invalid_cursor"),
                              ("owner=nope", "invalid_parameter"), ("colour=red", "unknown_parameter"),
                              ("cursor=AAAA", "invalid_cursor"), ("active=maybe", "invalid_parameter")] {
            let answer = try api.get("/v1/agents?" + query, template: "/v1/agents")
            #expect(answer.status == 400 && answer.body["error"]?["code"]?.stringValue == code, "\(query)")
        }
        #expect(try api.names("q=%22legal%22%20AND%20(german*").first == "LexTranslate")   // FTS5 syntax is read as plain words
        #expect(try api.get("/v1/agents/eip155:31337:0x0000000000000000000000000000000000000001", template: "/v1/agents/{id}").status == 404)
        #expect(try api.get("/v1/agents/not-an-id", template: "/v1/agents/{id}").status == 400)
        #expect(try api.get("/v1/agents/eip155:31337:0x0000000000000000000000000000000000000001/card", template: "/v1/agents/{id}/card").status == 404)
        #expect(try server.get("/no/such/route").body["error"]?["code"]?.stringValue == "not_found")
        #expect(try api.get("/health", template: "/health").status == 200)
        #expect(try api.get("/ready", template: "/ready").status == 200)

        // Reputation: LexTranslate's clients paid with pay() and x402; a stranger's rating is unverified.
        let lex = id(try #require(devnet.agent(named: "LexTranslate")))
        let lexReputation = try api.get("/v1/agents/\(lex)/reputation", template: "/v1/agents/{id}/reputation")
        #expect(lexReputation.status == 200)
        #expect(lexReputation.body["metrics"]?["payments"] == .number("4"))
        #expect(lexReputation.body["metrics"]?["uniquePayers"] == .number("3"))
        #expect(lexReputation.body["metrics"]?["recurringPayers"] == .number("1"))
        #expect(lexReputation.body["metrics"]?["ratings"] == .number("3") && lexReputation.body["metrics"]?["verifiedRatings"] == .number("2"))
        let lexPayments = try api.get("/v1/agents/\(lex)/payments?limit=3", template: "/v1/agents/{id}/payments")
        #expect(lexPayments.body["payments"]?.arrayValue?.count == 3 && lexPayments.body["nextCursor"]?.stringValue != nil)
        #expect(lexPayments.body["payments"]?.arrayValue?.first?["kind"] == .string("x402"))
        #expect(try api.names("q=translation&sort=score").first == "LexTranslate")
        let unknown = "eip155:31337:0x0000000000000000000000000000000000000001"
        #expect(try api.get("/v1/agents/\(lex)/reputation?atBlock=x", template: "/v1/agents/{id}/reputation").status == 400)
        #expect(try api.get("/v1/agents/\(unknown)/reputation", template: "/v1/agents/{id}/reputation").status == 404)
        #expect(try api.get("/v1/agents/\(lex)/payments?cursor=AAAA", template: "/v1/agents/{id}/payments").status == 400)
        #expect(try api.get("/v1/agents/\(unknown)/payments", template: "/v1/agents/{id}/payments").status == 404)
        // A contract agent has no ERC-8004 feedback or validations: empty pages, not errors.
        #expect(try api.get("/v1/agents/\(lex)/feedback", template: "/v1/agents/{id}/feedback").body["feedback"] == .array([]))
        #expect(try api.get("/v1/agents/\(lex)/validations", template: "/v1/agents/{id}/validations").body["validations"] == .array([]))
        // Contract agents carry the ERC-8004-era fields too: an A2A service, no token.
        let lexRecord = try api.get("/v1/agents/\(lex)", template: "/v1/agents/{id}").body
        #expect(lexRecord["standard"]?.stringValue == "agent-contract" && lexRecord["tokenId"] == .null)
        #expect(lexRecord["services"]?[0]?["name"]?.stringValue == "A2A" && lexRecord["x402Support"] == .bool(true))
        #expect(try api.names("service=a2a&limit=100").count == all.count && api.names("standard=erc8004").isEmpty)
        #expect(try api.status("/v1/reputation/snapshot?format=csv", template: "/v1/reputation/snapshot") == 200)
        #expect(try api.get("/v1/reputation/snapshot?format=xml", template: "/v1/reputation/snapshot").status == 400)
        #expect(try api.get("/v1/reputation/snapshot?chainId=5", template: "/v1/reputation/snapshot").status == 404)
        #expect(try api.status("/metrics", template: "/metrics") == 200)
        for path in ["/.well-known/agent-card.json", "/.well-known/agent.json"] {
            let own = try api.get(path, template: path)
            #expect(own.status == 200 && own.body["name"]?.stringValue == "AgentIndex")
        }
        let feed = try api.get("/v1/changes?limit=5", template: "/v1/changes")
        #expect(feed.status == 200 && feed.body["changes"]?.arrayValue?.count == 5 && feed.body["next"] == .number("5"))
        #expect(try api.get("/v1/changes?since=-1", template: "/v1/changes").status == 400)
        let stream = try runCommand("/usr/bin/curl", ["-s", "-N", "--max-time", "1", "-o", "/dev/null", "-w", "%{http_code}", server.baseURL + "/v1/changes/stream"])
        api.lines.append(JSONValue.object([("method", .string("get")), ("path", .string("/v1/changes/stream")),
                                           ("status", .number(stream.stdout)), ("body", .null)]).serialized())

        // Every served card (v1.0 by default) validates against schemas/agent-card-v1.schema.json; every response against openapi.yaml.
        var cards: [String] = []
        for name in all {
            let address = try #require(devnet.agent(named: name))
            cards.append(try api.get("/v1/agents/\(id(address))/card", template: "/v1/agents/{id}/card").body.serialized())
        }
        let cardsFile = dir.path("cards.jsonl")
        try (cards.joined(separator: "\n") + "\n").write(toFile: cardsFile, atomically: true, encoding: .utf8)
        let cardCheck = try runCommand(Paths.devnet, ["validate-cards", "--schema", Paths.root.appendingPathComponent("schemas/agent-card-v1.schema.json").path,
                                                      "--cards", cardsFile])
        #expect(cardCheck.status == 0, "\(cardCheck.stdout)\(cardCheck.stderr)")
        try api.checkAgainstSpec(in: dir, partial: false)
        #expect(server.stop() == 0)
    }
}
