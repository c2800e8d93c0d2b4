import EthereumCore
import Foundation
import Testing

/// The reputation scenario (Tests/Devnet: `scenario_reputation`) indexed by the real binary:
/// known payments give exact metrics; the games an attacker plays do not pay; snapshots are
/// reproducible and cut exactly at a block.
@Suite("End to end: transaction-derived reputation and snapshots", .serialized)
struct ReputationEndToEndTests {
    static let nativeDust = "1000000000000"
    static let tokenDust = "10000"

    @Test("exact metrics, each payment once, attacks move the score little or not at all, reproducible snapshots cut at a block")
    func reputation() throws {
        let devnet = try Devnet(scenario: "reputation")
        defer { devnet.stop() }
        let dir = try TemporaryDirectory()
        let db = dir.path("index.sqlite")
        let usdc = try #require(devnet.info["contracts"]?["usdc"]?["address"]?.stringValue)
        let flags = devnet.indexFlags + ["--dust", "native=\(Self.nativeDust)", "--dust", "\(usdc)=\(Self.tokenDust)"]
        let indexed = try runCommand(Paths.binary, ["index", "--once", "--db", db, "--log-level", "warning"] + flags)
        try #require(indexed.status == 0, "\(indexed.stderr)")

        let server = try AgentIndexProcess(["serve", "--db", db])
        defer { server.stop() }
        let roles = try #require(devnet.info["roles"])
        func id(_ role: String) throws -> String { "eip155:31337:" + (try #require(roles[role]?.stringValue)) }
        func reputation(_ role: String, _ query: String = "") throws -> JSONValue {
            let answer = try server.get("/v1/agents/\(try id(role))/reputation" + query)
            #expect(answer.status == 200, "\(role): \(answer.body.serialized())")
            return answer.body
        }
        func payments(_ role: String) throws -> [JSONValue] {
            var all: [JSONValue] = []
            var cursor: String?
            repeat {
                let page = try server.get("/v1/agents/\(try id(role))/payments?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.status == 200)
                all += page.body["payments"]?.arrayValue ?? []
                cursor = page.body["nextCursor"]?.stringValue
            } while cursor != nil
            return all
        }
        func number(_ value: JSONValue?) -> Double? { if case .number(let text)? = value { Double(text) } else { nil } }
        let usdcKey = usdc.lowercased()
        let nativeKey = "0x" + String(repeating: "0", count: 40)

        // Alpha: recurring pay(), native, x402; its owner and a dust payment are stored, not counted.
        let alpha = try reputation("alpha")
        let m = try #require(alpha["metrics"])
        #expect(m["payments"] == .number("6"))
        #expect(m["uncountedPayments"] == .number("2"))
        #expect(m["uniquePayers"] == .number("4"))
        #expect(m["recurringPayers"] == .number("2"))
        #expect(m["retention"] == .number("0.5"))
        #expect(m["volume"]?[nativeKey] == .string("3000000000000000"))
        #expect(m["volume"]?[usdcKey] == .string("3500000"))
        #expect(m["paymentsLast7Days"] == .number("6") && m["paymentsLast30Days"] == .number("6"))
        #expect(m["ratings"] == .number("5") && m["ratingMean"] == .number("3.4"))
        #expect(m["verifiedRatings"] == .number("3") && m["verifiedRatingMean"] == .number("4.666667"))
        #expect(alpha["formula"] == .string("rep-v2"))
        #expect(alpha["atBlock"] == devnet.info["headBlock"])
        let components = try #require(alpha["components"])
        #expect(abs(number(components["payers"])! - log(5.0) / log(51.0)) < 1e-6)
        #expect(number(components["retention"]) == 0.285714)
        #expect(number(components["rating"]) == 0.75)
        let alphaPayments = try payments("alpha")
        #expect(alphaPayments.count == 8)
        #expect(Set(alphaPayments.map { "\($0["txHash"]!.serialized())\($0["logIndex"]!.serialized())" }).count == 8)
        #expect(alphaPayments.filter { $0["counted"] == .bool(true) }.count == 6)
        #expect(alphaPayments.compactMap { $0["reason"]?.stringValue }.sorted() == ["dust", "owner"])
        #expect(alphaPayments.contains { $0["kind"] == .string("x402") && $0["counted"] == .bool(true) && $0["recipient"] == roles["alphaPayTo"] })

        // Bravo: one wallet, ten dust payments and two real ones: one payer, no better than two payments.
        let bravo = try reputation("bravo")
        #expect(bravo["metrics"]?["uniquePayers"] == .number("1"))
        #expect(bravo["metrics"]?["payments"] == .number("2"))
        #expect(bravo["metrics"]?["uncountedPayments"] == .number("10"))
        #expect(try payments("bravo").filter { $0["reason"] == .string("dust") }.count == 10)
        #expect(abs(number(bravo["components"]?["payers"])! - log(2.0) / log(51.0)) < 1e-6)
        #expect(number(bravo["score"])! < 0.15 && number(bravo["score"])! < number(alpha["score"])! / 2)

        // Charlie: only its owner pays, strangers rate it five stars: score 0.
        let charlie = try reputation("charlie")
        #expect(charlie["score"] == .number("0"))
        #expect(charlie["metrics"]?["payments"] == .number("0") && charlie["metrics"]?["verifiedRatings"] == .number("0"))
        #expect(charlie["metrics"]?["ratings"] == .number("3"))
        #expect(try payments("charlie").allSatisfy { $0["reason"] == .string("owner") })

        // Delta (registry-only): pay() is one payment (its PaymentReceived backed by the token
        // Transfer), not two; an unbacked native PaymentReceived is self-reported.
        let delta = try payments("delta")
        #expect(delta.count == 2)
        #expect(Set(delta.map { $0["txHash"]!.serialized() }).count == 2)
        #expect(delta.contains { $0["kind"] == .string("pay") && $0["evidence"] == .string("token-log") && $0["counted"] == .bool(true) })
        #expect(delta.contains { $0["kind"] == .string("native") && $0["reason"] == .string("self-reported") })
        // A payTo two agents name, and a token only a card names.
        for role in ["echoOne", "echoTwo"] {
            #expect(try payments(role).map { $0["reason"] } == [.string("shared-payto")])
        }
        #expect(try payments("foxtrot").map { $0["reason"] } == [.string("unlisted-asset")])

        // Search carries the score, filters and sorts by it.
        let ranked = try server.get("/v1/agents?sort=score&limit=3")
        #expect(ranked.body["agents"]?.arrayValue?.first?["name"] == .string("Alpha"))
        #expect(ranked.body["agents"]?.arrayValue?.first?["score"] == alpha["score"])
        let strong = try server.get("/v1/agents?minScore=0.2")
        #expect(strong.body["agents"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Alpha"])
        let textRanked = try server.get("/v1/agents?q=scenario&sort=score&limit=2")
        #expect(textRanked.body["agents"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Alpha", "Bravo"])
        let charlieHit = try server.get("/v1/agents?q=charlie").body["agents"]?.arrayValue?.first
        #expect(charlieHit?["score"] == charlie["score"])
        let recent = try server.get("/v1/agents?sort=recent&limit=2").body["agents"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(recent?.first == "Alpha")   // its phase-2 payments and rating are the newest activity
        #expect(try server.get("/v1/agents?sort=relevance").body == server.get("/v1/agents").body, "relevance without text is discovery order")
        #expect(try server.get("/v1/agents?minScore=2").status == 400)

        // At the cut block: only phase 1 counts.
        let cut = try #require(devnet.info["cutBlock"].flatMap { UInt64($0.serialized()) })
        let head = try #require(devnet.info["headBlock"].flatMap { UInt64($0.serialized()) })
        let before = try reputation("alpha", "?atBlock=\(cut)")
        #expect(before["atBlock"] == .number(String(cut)))
        #expect(before["metrics"]?["payments"] == .number("4"))
        #expect(before["metrics"]?["uniquePayers"] == .number("3"))
        #expect(before["metrics"]?["recurringPayers"] == .number("1"))
        #expect(before["metrics"]?["verifiedRatings"] == .number("2") && before["metrics"]?["ratings"] == .number("4"))
        #expect(before["metrics"]?["volume"]?[usdcKey] == .string("2500000"))
        #expect(number(before["score"])! < number(alpha["score"])!)   // a new payer and a recurring one raise it
        let above = try server.get("/v1/agents/\(try id("alpha"))/reputation?atBlock=\(head + 100)")
        #expect(above.status == 409 && above.body["error"]?["code"] == .string("block_not_indexed"))

        // Exports: byte-identical twice, the manifest hashes the file, --at-block cuts, above the head is refused.
        func export(_ name: String, _ extra: [String]) throws -> (file: String, manifest: JSONValue) {
            let file = dir.path(name)
            let result = try runCommand(Paths.binary, ["export", "reputation", "--db", db, "--out", file] + extra)
            try #require(result.status == 0, "\(result.stderr)")
            return (file, try JSONValue(parsing: try String(contentsOfFile: file + ".manifest.json", encoding: .utf8)))
        }
        let first = try export("a.csv", [])
        let second = try export("b.csv", ["--format", "csv"])
        let firstBytes = try Data(contentsOf: URL(fileURLWithPath: first.file))
        #expect(firstBytes == (try Data(contentsOf: URL(fileURLWithPath: second.file))))
        #expect(first.manifest.serialized() == second.manifest.serialized())
        #expect(first.manifest["rows"] == .number("7"))
        #expect(first.manifest["blockNumber"] == .number(String(head)))
        let headHash = try devnet.call("eth_getBlockByNumber", [.string("0x" + String(head, radix: 16)), .bool(false)])["hash"]
        #expect(first.manifest["blockHash"] == headHash)
        #expect(first.manifest["formula"] == .string("rep-v2"))
        let sha = try runCommand("/usr/bin/sha256sum", [first.file]).stdout.split(separator: " ").first.map(String.init)
        #expect(first.manifest["sha256"]?.stringValue == sha)
        let refused = try runCommand(Paths.binary, ["export", "reputation", "--db", db, "--out", dir.path("x.csv"), "--at-block", String(head + 1)])
        #expect(refused.status != 0 && refused.stderr.contains("above the indexed height"))

        let cutExport = try export("cut.jsonl", ["--format", "jsonl", "--at-block", String(cut)])
        let rows = try String(contentsOfFile: cutExport.file, encoding: .utf8).split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
        let alphaRow = try #require(rows.first { $0["name"] == .string("Alpha") })
        #expect(alphaRow["payments"] == .number("4") && alphaRow["unique_payers"] == .number("3"))
        #expect(alphaRow["score"] == before["score"])
        #expect(cutExport.manifest["blockNumber"] == .number(String(cut)))
        let schemaCheck = try runCommand(Paths.devnet, ["validate-cards", "--schema",
                                                        Paths.root.appendingPathComponent("schemas/reputation-snapshot.schema.json").path,
                                                        "--cards", cutExport.file])
        #expect(schemaCheck.status == 0, "\(schemaCheck.stdout)\(schemaCheck.stderr)")

        // The API streams the same bytes.
        let served = try runCommand("/usr/bin/curl", ["-s", "-D", dir.path("headers"), "-o", dir.path("served.csv"),
                                                      server.baseURL + "/v1/reputation/snapshot?format=csv"])
        #expect(served.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path("served.csv"))) == firstBytes)
        let headers = try String(contentsOfFile: dir.path("headers"), encoding: .utf8).lowercased()
        #expect(headers.contains("x-snapshot-block: \(head)") && headers.contains("x-reputation-formula: rep-v2"))
        #expect(try server.get("/v1/reputation/snapshot?atBlock=\(head + 1)").status == 409, "a block above the index: not yet")
        #expect(try server.get("/v1/reputation/snapshot?format=xml").status == 400)

        // pandas.read_csv with no options: every row, amounts as exact text.
        let pandas = try runCommand(Paths.devnet, ["read-csv", first.file])
        try #require(pandas.status == 0, "\(pandas.stderr)")
        let frame = try JSONValue(parsing: pandas.stdout)
        #expect(frame["rows"] == .number("7"))
        #expect(frame["dtypes"]?["volume"] == .string("object"))
        let alphaVolume = frame["records"]?.arrayValue?.first { $0["name"] == .string("Alpha") }?["volume"]?.stringValue
        #expect(alphaVolume == "\(nativeKey)=3000000000000000;\(usdcKey)=3500000")

        // export state carries the same reputation as the API.
        let state = try runCommand(Paths.binary, ["export", "state", "--db", db])
        let alphaState = try state.stdout.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
            .first { $0["id"] == .string(try id("alpha")) }
        #expect(alphaState?["reputation"] == alpha)

        // New dust thresholds in the config reclassify what is stored, without refetching.
        let stricter = devnet.indexFlags + ["--dust", "native=1000000000000000000", "--dust", "\(usdc)=\(Self.tokenDust)"]
        let reindexed = try runCommand(Paths.binary, ["index", "--once", "--db", db, "--log-level", "warning"] + stricter)
        try #require(reindexed.status == 0, "\(reindexed.stderr)")
        let strict = try reputation("alpha")
        #expect(strict["metrics"]?["payments"] == .number("4"))            // the four USDC payments
        #expect(strict["metrics"]?["volume"]?[nativeKey] == nil)
        #expect(try payments("alpha").filter { $0["reason"] == .string("dust") }.count == 3)   // 1 wei, 1e15, 2e15
        #expect(server.stop() == 0)
    }
}
