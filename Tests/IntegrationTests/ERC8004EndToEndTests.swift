import EthereumCore
import Foundation
import Testing

/// The ERC-8004 scenario (Tests/Devnet: `scenario_erc8004`) indexed by the real binary from the
/// devnet's Identity, Reputation and Validation registries: every figure exact through the API
/// and the snapshot, every response checked against the OpenAPI spec.
@Suite("End to end: ERC-8004 agents, wallets, feedback grounded in payments", .serialized)
struct ERC8004EndToEndTests {
    static let tokenDust = "10000"

    /// The scenario, indexed into `dir/name`; the devnet and the flags used.
    static func indexed(_ dir: TemporaryDirectory, _ name: String = "index.sqlite",
                        extra: [String] = []) throws -> (Devnet, String, [String]) {
        let devnet = try Devnet(scenario: "erc8004")
        let usdc = try #require(devnet.info["contracts"]?["usdc"]?["address"]?.stringValue)
        let flags = devnet.indexFlags + ["--dust", "\(usdc)=\(tokenDust)"] + extra
        let db = dir.path(name)
        let run = try runCommand(Paths.binary, ["index", "--once", "--db", db, "--log-level", "warning"] + flags)
        #expect(run.status == 0, "\(run.stderr)")
        return (devnet, db, flags)
    }

    @Test("exact figures: registration files, listing, wallets, payments, feedback, validations, snapshot; responses match the spec")
    func scenario() throws {
        let dir = try TemporaryDirectory()
        let (devnet, db, _) = try Self.indexed(dir)
        defer { devnet.stop() }
        let server = try AgentIndexProcess(["serve", "--db", db])
        defer { server.stop() }
        let api = DiscoveryEndToEndTests.Recorder(server)
        let ids = try #require(devnet.info["erc8004"])
        let roles = try #require(devnet.info["roles"])
        let identity = try #require(devnet.info["contracts"]?["identityRegistry"]?["address"]?.stringValue)
        let owners = (devnet.info["accounts"]?["owners"]?.arrayValue ?? []).compactMap { $0.stringValue }
        let payers = (devnet.info["accounts"]?["payers"]?.arrayValue ?? []).compactMap { $0.stringValue }
        try #require(owners.count == 4 && payers.count == 5)
        func id(_ key: String) -> String { "eip155:31337/erc721:\(identity)/\(ids[key]?.serialized() ?? "?")" }
        func encoded(_ key: String) -> String { id(key).addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        func record(_ key: String) throws -> JSONValue {
            let answer = try api.get("/v1/agents/\(id(key))", template: "/v1/agents/{id}")
            #expect(answer.status == 200, "\(key): \(answer.body.serialized())")
            return answer.body
        }
        func get(_ path: String, _ template: String) throws -> JSONValue {
            let answer = try api.get(path, template: template)
            #expect(answer.status == 200, "\(path): \(answer.body.serialized())")
            return answer.body
        }
        func tokens(_ query: String) throws -> [String] {
            try get("/v1/agents?" + query, "/v1/agents")["agents"]?.arrayValue?.compactMap { $0["tokenId"]?.stringValue } ?? []
        }

        // Listing: 32 agents; the invalid file is not listed, the inactive one only with active=any.
        let status = try get("/status", "/status")["chains"]?[0]
        #expect(status?["agents"] == .number("32") && status?["erc8004Agents"] == .number("32"))
        #expect(status?["pendingDocuments"] == .number("2") && status?["invalidCards"] == .number("1"))
        #expect(try tokens("standard=erc8004&limit=100").count == 30)
        #expect(try tokens("standard=erc8004&limit=100&active=any").count == 31)
        #expect(try tokens("standard=agent-contract").isEmpty)
        #expect(try tokens("chainId=31337&limit=100").count == 30 && tokens("chainId=1").isEmpty)

        // Search by text, OASF skill, service, x402, owner.
        #expect(try api.names("q=contracts%20german").first == "Quill")
        #expect(try api.names("q=contract_drafting") == ["Quill"], "OASF skills are searchable")
        #expect(try api.names("q=quill.eth") == ["Quill"], "ENS names are searchable")
        #expect(try api.names("skill=legal/contract_drafting") == ["Quill"])
        #expect(Set(try api.names("service=mcp")) == ["Quill", "Ledgerly"])
        #expect(try tokens("service=OASF&limit=100").count == 20)
        #expect(try api.names("x402=true&limit=100").count == 8, "Quill and every third filler")
        #expect(try tokens("owner=\(owners[1])") == [ids["ledgerly"]?.serialized()])
        #expect(try tokens("source=erc8004&limit=100").count == 30)
        #expect(try api.names("q=sleeper").isEmpty && api.names("q=sleeper&active=any") == ["Sleeper"])

        // Registration files: every kind of URI and file.
        let quill = try record("quill")
        #expect(quill["standard"]?.stringValue == "erc8004" && quill["address"] == .null && quill["tokenId"]?.stringValue == "0")
        #expect(quill["registration"]?["services"]?.arrayValue?.map { $0["name"]?.stringValue } == ["A2A", "MCP", "OASF", "ENS"])
        #expect(quill["registrationMismatch"] == .bool(false) && quill["documentStatus"]?.stringValue == "ok")
        #expect(quill["agentWallet"] == roles["quillWallet"] && quill["owner"]?.stringValue == owners[0])
        #expect(quill["metadata"]?["category"]?["text"]?.stringValue == "legal")
        #expect(quill["metadata"]?["build"]?["hex"]?.stringValue == "0x0102ff" && quill["metadata"]?["build"]?["text"] == .null)
        #expect(quill["metadata"]?["agentWallet"]?["hex"]?.stringValue == roles["quillWallet"]?.stringValue?.lowercased())
        #expect(quill["documentRefreshBlock"] == roles["refreshBlock"])
        #expect(quill["agentURI"]?.stringValue?.hasPrefix("data:application/json;base64,eyJ") == true)
        #expect(try record("ledgerly")["registration"]?["name"]?.stringValue == "Ledgerly", "a gzip payload")
        #expect(try record("ledgerly")["metadata"]?["homepage"]?["text"]?.stringValue == "https://ledgerly.example")
        #expect(try record("oldschool")["registration"]?["services"]?[0]?["name"]?.stringValue == "A2A", "legacy endpoints, percent-encoded")
        let broken = try record("broken")
        #expect(broken["valid"] == .bool(false) && broken["documentStatus"]?.stringValue == "invalid")
        #expect(broken["invalidReason"]?.stringValue?.hasPrefix("the registration file is not JSON") == true)
        #expect(try tokens("q=broken").isEmpty)
        #expect(try record("copycat")["registrationMismatch"] == .bool(true))
        for key in ["remoteHttps", "remoteIpfs"] {
            let pending = try record(key)
            #expect(pending["documentStatus"]?.stringValue == "pending" && pending["registration"] == .null && pending["valid"] == .bool(true))
        }
        #expect(try record("noUri")["documentStatus"]?.stringValue == "absent")
        #expect(try tokens("standard=erc8004&limit=100").contains(ids["remoteHttps"]?.serialized() ?? "?"), "pending: found by filters")
        let renamed = try record("renamed")
        #expect(renamed["registration"]?["name"]?.stringValue == "Final Name" && renamed["cardVersions"] == .number("2"))
        #expect(try api.names("q=draft%20name").isEmpty && api.names("q=final%20name") == ["Final Name"])
        // The percent-encoded id is the same agent; the A2A card lives off chain.
        #expect(try api.get("/v1/agents/\(encoded("quill"))", template: "/v1/agents/{id}").body == quill)
        let card = try api.get("/v1/agents/\(encoded("quill"))/card", template: "/v1/agents/{id}/card")
        #expect(card.status == 404 && card.body["error"]?["code"]?.stringValue == "card_not_fetched")

        // Wallets and payments: the NFT transfer cleared Traded's wallet; its later payment counts for no one.
        let traded = try record("traded")
        #expect(traded["owner"]?.stringValue == owners[3] && traded["agentWallet"] == .null)
        func payments(_ key: String) throws -> [JSONValue] {
            try get("/v1/agents/\(id(key))/payments?limit=100", "/v1/agents/{id}/payments")["payments"]?.arrayValue ?? []
        }
        #expect(try payments("traded").map { $0["counted"] } == [.bool(true)])
        let quillPayments = try payments("quill").reversed().map { ($0["kind"]?.stringValue ?? "", $0["amount"]?.stringValue ?? "",
                                                                    $0["reason"]?.stringValue ?? "counted") }
        #expect(quillPayments.map(\.0) == ["transfer", "x402", "x402", "transfer", "transfer", "transfer"])
        #expect(quillPayments.map(\.2) == ["counted", "counted", "counted", "counted", "owner", "dust"])
        for twin in ["twinA", "twinB"] {
            #expect(try payments(twin).map { $0["reason"]?.stringValue } == ["shared-payto"], "\(twin)")
        }
        #expect(try payments("ledgerly").map { $0["kind"]?.stringValue } == ["x402", "transfer"])

        // Reputation: feedback grounded in payments.
        let reputation = try get("/v1/agents/\(id("quill"))/reputation", "/v1/agents/{id}/reputation")
        let m = try #require(reputation["metrics"])
        #expect(reputation["formula"]?.stringValue == "rep-v2")
        #expect(m["payments"] == .number("4") && m["uncountedPayments"] == .number("2") && m["uniquePayers"] == .number("3"))
        #expect(m["recurringPayers"] == .number("1"))
        #expect(m["volume"]?[try #require(devnet.info["contracts"]?["usdc"]?["address"]?.stringValue?.lowercased())] == .string("5000000"))
        #expect(m["feedback"] == .number("4") && m["revokedFeedback"] == .number("1") && m["verifiedFeedback"] == .number("3"))
        #expect(m["feedbackRatings"] == .number("4") && m["feedbackRatingMean"] == .number("94.25"))
        #expect(m["verifiedFeedbackRatings"] == .number("3") && m["verifiedFeedbackRatingMean"] == .number("92.333333"))
        #expect(m["tags"]?["starred"] == .object([("count", .number("3")), ("verified", .number("2")), ("mean", .number("92.5"))]))
        #expect(m["tags"]?["fast"]?["verified"] == .number("1") && m["tags"]?["uptime"]?["mean"] == .number("99.5"))
        #expect(reputation["components"]?["rating"] == .number("0.754"), "(0.9 + 0.875 + 0.995 + 0.5 · 2) / (3 + 2)")
        let ledgerly = try #require(try get("/v1/agents/\(id("ledgerly"))/reputation", "/v1/agents/{id}/reputation")["metrics"])
        #expect(ledgerly["payments"] == .number("2") && ledgerly["feedback"] == .number("2") && ledgerly["verifiedFeedback"] == .number("1"))
        #expect(ledgerly["feedbackRatings"] == .number("1") && ledgerly["verifiedFeedbackRatings"] == .number("0"),
                "the stranger's 10 is a rating but unverified; the payer's 1000 is verified but no rating")
        #expect(try api.names("sort=score&standard=erc8004").first == "Quill")

        // Feedback, newest first, paged; the stranger's is unverified, the revoked one says so.
        var feedback: [JSONValue] = []
        var cursor: String?
        repeat {
            let page = try get("/v1/agents/\(encoded("quill"))/feedback?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""),
                               "/v1/agents/{id}/feedback")
            feedback += page["feedback"]?.arrayValue ?? []
            cursor = page["nextCursor"]?.stringValue
        } while cursor != nil
        #expect(feedback.count == 5)
        let byClient = Dictionary(grouping: feedback) { $0["client"]?.stringValue ?? "" }
        let strangers = (roles["strangers"]?.arrayValue ?? []).compactMap { $0.stringValue }
        try #require(strangers.count == 2)
        #expect(byClient[strangers[0]]?.first?["verified"] == .bool(false))
        #expect(byClient[strangers[1]]?.first?["revoked"] == .bool(true))
        let p1 = try #require(byClient[payers[1]]?.first)
        #expect(p1["value"]?.stringValue == "87.5" && p1["rawValue"]?.stringValue == "8750" && p1["valueDecimals"] == .number("2"))
        #expect(p1["verified"] == .bool(true) && p1["tag2"]?.stringValue == "fast" && p1["feedbackURI"]?.stringValue == "ipfs://bafyfeedbackp1")
        #expect(p1["responses"]?.arrayValue?.map { $0["responder"]?.stringValue } == [owners[0], strangers[0]])
        #expect(try api.get("/v1/agents/\(id("quill"))/feedback?cursor=AAAA", template: "/v1/agents/{id}/feedback").status == 400)

        // Validations: two requests; the first answered twice, the last answer stands.
        let validations = try get("/v1/agents/\(id("quill"))/validations", "/v1/agents/{id}/validations")["validations"]?.arrayValue ?? []
        let requests = (roles["requests"]?.arrayValue ?? []).compactMap { $0.stringValue }
        try #require(requests.count == 2)
        #expect(validations.map { $0["requestHash"]?.stringValue } == [requests[1], requests[0]])
        #expect(validations[1]["response"]?["response"] == .number("95") && validations[1]["responseCount"] == .number("2"))
        #expect(validations[0]["response"] == .null && validations[0]["validator"] == roles["validator"])
        #expect(try api.get("/v1/agents/\(id("quill"))/validations?limit=0", template: "/v1/agents/{id}/validations").status == 400)
        let unknown = "eip155:31337/erc721:\(identity)/999"
        for suffix in ["", "/feedback", "/validations", "/reputation", "/payments"] {
            #expect(try api.get("/v1/agents/\(unknown)\(suffix)", template: "/v1/agents/{id}\(suffix)").status == 404, "\(suffix)")
        }
        #expect(try api.get("/v1/agents/eip155:31337/erc721:\(identity)/-1", template: "/v1/agents/{id}").status == 400)
        for (query, code) in [("standard=nft", "invalid_parameter"), ("x402=yes", "invalid_parameter"), ("chainId=-1", "invalid_parameter"),
                              ("service=", "invalid_parameter"), ("source=erc721", "invalid_parameter")] {
            let answer = try api.get("/v1/agents?" + query, template: "/v1/agents")
            #expect(answer.status == 400 && answer.body["error"]?["code"]?.stringValue == code, "\(query)")
        }

        // The snapshot carries the standard, the token and the feedback; pandas reads it.
        let csv = dir.path("snapshot.csv")
        #expect(try agentindex("export", "reputation", "--db", db, "--format", "csv", "--out", csv).status == 0)
        let frame = try JSONValue(parsing: runCommand(Paths.devnet, ["read-csv", csv]).stdout)
        #expect(frame["rows"] == .number("32"))
        let row = try #require(frame["records"]?.arrayValue?.first { $0["agent_id"]?.stringValue == id("quill") })
        #expect(row["standard"]?.stringValue == "erc8004" && row["token_id"] == .number("0") && row["address"] == .null)
        #expect(row["feedback"] == .number("4") && row["verified_feedback"] == .number("3") && row["revoked_feedback"] == .number("1"))
        #expect(row["verified_feedback_rating_mean"] == .number("92.333333") && row["payments"] == .number("4"))
        #expect(row["score"] == reputation["score"])
        let manifest = try JSONValue(parsing: String(contentsOfFile: csv + ".manifest.json", encoding: .utf8))
        #expect(manifest["formula"]?.stringValue == "rep-v2")
        let jsonl = dir.path("snapshot.jsonl")
        #expect(try agentindex("export", "reputation", "--db", db, "--format", "jsonl", "--out", jsonl).status == 0)
        let rowCheck = try runCommand(Paths.devnet, ["validate-cards", "--schema",
                                                     Paths.root.appendingPathComponent("schemas/reputation-snapshot.schema.json").path,
                                                     "--cards", jsonl])
        #expect(rowCheck.status == 0, "\(rowCheck.stdout)")

        try api.checkAgainstSpec(in: dir)
    }

    @Test("the same chain in ranges of 2,000 and of 7 blocks gives byte-identical exports")
    func rangeSizesAgree() throws {
        let dir = try TemporaryDirectory()
        let (devnet, wide, flags) = try Self.indexed(dir, "wide.sqlite")
        defer { devnet.stop() }
        let narrow = dir.path("narrow.sqlite")
        let run = try runCommand(Paths.binary, ["index", "--once", "--db", narrow, "--log-level", "warning", "--block-range", "7"] + flags)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try lastLine(run)["ranges"].map { Int($0.serialized()) ?? 0 } ?? 0 > 10)
        try expectSameExports(wide, narrow, in: dir)
    }

    @Test("erc8004: default resolves the published registries by chain id, and refuses a chain without a deployment")
    func defaultDeployment() throws {
        let dir = try TemporaryDirectory()
        let config = dir.path("local.yaml")
        try """
            chains:
              - chainId: 31337
                rpc: http://127.0.0.1:9
                erc8004: default
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let refused = try agentindex("index", "--once", "--config", config, "--db", dir.path("x.sqlite"))
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("config: chains[0].erc8004: chain 31337 has no known ERC-8004 deployment"), "\(refused.stderr)")
        let alone = try agentindex("index", "--once", "--rpc", "http://127.0.0.1:9", "--chain-id", "1",
                                   "--erc8004-reputation", "0x8004BAa17C55a88189AE136b182e5fdA19dE9b63", "--db", dir.path("y.sqlite"))
        #expect(alone.status == 1 && alone.stderr.contains("give identity too"), "\(alone.stderr)")

        // Base Sepolia on the devnet: the testnet registries from their first block, and its USDC.
        let devnet = try Devnet(scenario: "empty", chainID: 84532)
        defer { devnet.stop() }
        let db = dir.path("sepolia.sqlite")
        let run = try agentindex("index", "--once", "--db", db, "--rpc", devnet.rpcURL.absoluteString, "--chain-id", "84532",
                                 "--erc8004", "default", "--log-level", "warning")
        #expect(run.status == 0, "\(run.stderr)")
        let status = try JSONValue(parsing: agentindex("status", "--db", db, "--json").stdout)["chains"]?[0]
        #expect(status?["erc8004Registries"] == .array([
            .object([("kind", .string("identity")), ("address", .string("0x8004A818BFB912233c491871b3d84c89A494BD9e")),
                     ("startBlock", .number("37174254"))]),
            .object([("kind", .string("reputation")), ("address", .string("0x8004B663056A597Dffe9eCcC1965A193B7388713")),
                     ("startBlock", .number("37174254"))]),
        ]))
        #expect(status?["tokens"] == .array([.string("0x036CbD53842c5426634e7929541eC2318f3dCF7e")]), "Circle's USDC on Base Sepolia")
    }
}
