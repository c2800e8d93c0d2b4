import EthereumCore
import Foundation
import Testing

/// Off-chain documents end to end: the devnet's document world (HTTPS hosts with a test CA, IPFS
/// gateways honest, lying and plain, hostile endpoints, a "metadata" listener that must never be
/// reached), the `documents` scenario's agents indexed by the real binary, fetched by
/// `agentindex documents --fetch` and `agentindex run`, and read through the API.
@Suite("End to end: off-chain documents fetched safely and verified", .serialized)
struct DocumentsEndToEndTests {
    /// A devnet with its document server, the chain indexed, and a config for the fetcher.
    final class World {
        let devnet: Devnet
        let dir: TemporaryDirectory
        let db: String
        let config: String
        let flags: [String]

        init(scenario: String = "documents", gateways: [String] = ["liar", "gateway"], timeout: String = "2s",
             extraFetch: String = "") throws {
            devnet = try Devnet(scenario: scenario)
            dir = try TemporaryDirectory()
            db = dir.path("index.sqlite")
            let docs = try #require(devnet.info["documents"])
            let allow = (docs["allow"]?.arrayValue ?? []).compactMap(\.stringValue).map { "\"\($0)\"" }.joined(separator: ", ")
            let gatewayList = try gateways.map { name in
                let parts = name.split(separator: ",").map(String.init)
                let origin = try #require(docs["origins"]?[parts[0]]?.stringValue)
                return parts.count == 2 ? "{url: \"\(origin)\", trusted: true}" : "\"\(origin)\""
            }.joined(separator: ", ")
            config = dir.path("fetch.yaml")
            try """
            fetch:
              caFile: \(docs["caFile"]?.stringValue ?? "")
              allow: [\(allow)]
              gateways: [\(gatewayList)]
              timeout: \(timeout)
              minRetryDelay: 1s
            \(extraFetch)
            """.write(toFile: config, atomically: true, encoding: .utf8)
            flags = ["--db", db, "--config", config, "--log-level", "warning"] + devnet.indexFlags
            let indexed = try runCommand(Paths.binary, ["index", "--once"] + flags)
            #expect(indexed.status == 0, "\(indexed.stderr)")
        }

        func stop() { devnet.stop() }

        func origin(_ name: String) -> String { devnet.info["documents"]?["origins"]?[name]?.stringValue ?? "" }

        /// `agentindex documents` with `arguments`; the documents it lists, by URI.
        func documents(_ arguments: [String] = []) throws -> [String: JSONValue] {
            let run = try runCommand(Paths.binary, ["documents"] + flags + arguments)
            #expect(run.status == 0, "\(run.stderr)")
            var byURI: [String: JSONValue] = [:]
            for line in run.stdout.split(separator: "\n") {
                let document = try JSONValue(parsing: String(line))
                byURI[(document["uri"]?.stringValue ?? "") + "#" + (document["kind"]?.stringValue ?? "")] = document
            }
            return byURI
        }

        /// The document server's control endpoint.
        func control(_ path: String) throws -> JSONValue {
            try JSONValue(parsing: runCommand("/usr/bin/curl", ["-s", origin("http") + path]).stdout)
        }

        func agentID(_ key: String) throws -> String {
            let identity = try #require(devnet.info["contracts"]?["identityRegistry"]?["address"]?.stringValue)
            return "eip155:31337/erc721:\(identity)/\(devnet.info["erc8004"]?[key]?.serialized() ?? "?")"
        }
    }

    static func status(_ documents: [String: JSONValue], _ uri: String, _ kind: String = "registration") -> String? {
        documents[uri + "#" + kind]?["status"]?.stringValue
    }

    @Test("every status is reached; hostile endpoints are refused or cut short; the metadata listener sees nothing; cards, signatures, domain proofs and payment proofs verified; responses match the spec")
    func everyStatus() throws {
        let world = try World()
        defer { world.stop() }
        let https = world.origin("https")
        let before = try world.documents()
        #expect(before.values.allSatisfy { $0["status"]?.stringValue == "pending" } && before.count == 26)

        // The whole fetch, with peak memory: the 10 GB answer is cut at the registration file's cap.
        let timed = try runCommand("/usr/bin/time", ["-f", "maxrss=%M", Paths.binary, "documents", "--fetch"] + world.flags)
        #expect(timed.status == 0, "\(timed.stderr)")
        let peakKB = Int(timed.stderr.components(separatedBy: "maxrss=").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? .max
        #expect(peakKB < 150_000, "peak RSS \(peakKB) kB while a 10 GB document streamed")
        let documents = try world.documents()

        let expected: [(String, String, String)] = [
            ("/hostile/redirect-loop", "failed", "more than 3 redirects"),
            ("/hostile/redirect-cloud-metadata", "refused", "169.254.169.254 is link-local"),
            ("/hostile/redirect-loopback", "refused", "127.0.0.1 is loopback"),
            ("/hostile/redirect-downgrade", "refused", "from https: to http:"),
            ("/hostile/ten-gigabytes", "invalid", "larger than 262144 bytes"),
            ("/hostile/drip", "failed", "timed out"),
            ("/hostile/gzip-bomb", "invalid", "expands to more than"),
            ("/hostile/html", "invalid", "is not JSON"),
            ("/hostile/bad-utf8", "invalid", "invalid UTF-8"),
            ("/hostile/deep", "invalid", "nesting deeper than"),
            ("/hostile/500", "failed", "HTTP 500"),
            ("/hostile/429", "failed", "HTTP 429"),
        ]
        for (path, status, reason) in expected {
            let document = documents[https + path + "#registration"]
            #expect(document?["status"]?.stringValue == status, "\(path): \(document?.serialized() ?? "missing")")
            #expect(document?["lastError"]?.stringValue?.contains(reason) == true, "\(path): \(document?["lastError"]?.serialized() ?? "")")
        }
        // 429 with Retry-After: 7200 — the next attempt waits for it, not for the 1 s backoff.
        let throttled = documents[https + "/hostile/429#registration"]
        let wait = (Int(throttled?["nextAttemptAt"]?.serialized() ?? "") ?? 0) - (Int(throttled?["attemptedAt"]?.serialized() ?? "") ?? 0)
        #expect(wait >= 7_200, "Retry-After honoured: next attempt after \(wait) s")
        #expect(Self.status(documents, world.origin("http") + "/plain/agent.json") == "unsupported")
        #expect(Self.status(documents, "ar://bNbA3TEQVL60xlgCcqdz4ZPHFZ711cZ3hmkpGttDt_U") == "unsupported")
        #expect(Self.status(documents, "https://10.0.0.7/agent.json") == "refused")
        let hits = try world.control("/_control/hits")
        #expect(hits["metadata"] == nil, "the metadata listener received requests: \(hits.serialized())")

        // Cards: at the endpoint, through the origin's well-known paths, on IPFS; their signatures.
        let cards = documents.values.filter { $0["kind"]?.stringValue == "a2a-card" }
        func card(_ fragment: String) -> JSONValue? { cards.first { $0["uri"]?.stringValue?.contains(fragment) == true } }
        #expect(card("/scribe/")?["cardSignature"]?.stringValue == "valid", "the A2A SDK's signature, key at a jku")
        #expect(card("ipfs://")?["cardSignature"]?.stringValue == "valid" && card("ipfs://")?["contentVerified"] == .bool(true))
        #expect(card("/dual/rpc")?["url"]?.stringValue == world.origin("cards") + "/.well-known/agent-card.json")
        #expect(card("/dual/rpc")?["cardSignature"]?.stringValue == "absent")
        #expect(card(world.origin("legacy"))?["url"]?.stringValue == world.origin("legacy") + "/.well-known/agent.json")
        #expect(card("/forger/")?["cardSignature"]?.stringValue == "invalid")
        #expect(card("/anon/")?["cardSignature"]?.stringValue == "unverifiable")
        let atlasFile = documents.values.first { $0["uri"]?.stringValue?.hasPrefix("ipfs://") == true && $0["kind"]?.stringValue == "registration" }
        #expect(atlasFile?["status"]?.stringValue == "ok" && atlasFile?["contentVerified"] == .bool(true), "the liar was passed over")
        let feedback = documents.values.filter { $0["kind"]?.stringValue == "feedback" }.compactMap { $0["paymentProof"]?.stringValue }
        #expect(feedback.sorted() == ["absent", "mismatch", "unverifiable", "verified"])

        // The follower, next time it runs, reads the transfers to the card's x402 payTo.
        let again = try runCommand(Paths.binary, ["index", "--once"] + world.flags)
        #expect(again.status == 0, "\(again.stderr)")

        // Through the API.
        let server = try AgentIndexProcess(["serve", "--db", world.db])
        defer { server.stop() }
        let api = DiscoveryEndToEndTests.Recorder(server)
        func get(_ path: String, _ template: String) throws -> JSONValue {
            let answer = try api.get(path, template: template)
            #expect(answer.status == 200, "\(path): \(answer.body.serialized())")
            return answer.body
        }
        let scribeID = try world.agentID("scribe")
        let scribe = try get("/v1/agents/\(scribeID)", "/v1/agents/{id}")
        #expect(scribe["documentStatus"]?.stringValue == "ok" && scribe["cardSignature"]?.stringValue == "valid")
        #expect(scribe["domainVerified"] == .bool(true) && scribe["x402Support"] == .bool(true))
        #expect(scribe["documents"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } == ["registration", "a2a-card", "domain-proof"])
        #expect(scribe["card"]?["skills"]?[0]?["tags"] == .array([.string("legal"), .string("memo")]))
        #expect(try api.names("q=legal%20memo") == ["Scribe"], "skills from the https: card are searchable")
        #expect(try api.names("q=routing") == ["Atlas"], "skills from the IPFS card are searchable")
        #expect(try api.names("inputMode=application/geo%2Bjson") == ["Atlas"])
        #expect(Set(try api.names("cardSignature=valid")) == ["Scribe", "Atlas"])
        #expect(try api.names("cardSignature=invalid") == ["Forger"])
        #expect(try api.names("domainVerified=true") == ["Scribe"])
        #expect(try api.names("q=hostile").isEmpty && api.names("q=plain").isEmpty, "documents never read are not searchable")
        #expect(try api.get("/v1/agents?cardSignature=maybe", template: "/v1/agents").status == 400)
        let reputation = try get("/v1/agents/\(scribeID)/reputation", "/v1/agents/{id}/reputation")
        #expect(reputation["metrics"]?["payments"] == .number("3") && reputation["metrics"]?["uniquePayers"] == .number("2"),
                "the wallet's payment and two to the card's payTo (plain and x402): \(reputation["metrics"]?.serialized() ?? "")")
        let payTo = try #require(world.devnet.info["roles"]?["scribePayTo"]?.stringValue)
        let payments = try get("/v1/agents/\(scribeID)/payments", "/v1/agents/{id}/payments")["payments"]?.arrayValue ?? []
        #expect(payments.filter { $0["recipient"]?.stringValue == payTo }.compactMap { $0["kind"]?.stringValue }.sorted() == ["transfer", "x402"])
        let served = try get("/v1/agents/\(scribeID)/card", "/v1/agents/{id}/card")
        #expect(served["name"]?.stringValue == "Scribe" && served["skills"]?[0]?["id"]?.stringValue == "memo")
        // Off-chain cards are served in the version asked for: Scribe's v1.0 card as v0.3, Atlas's v0.3 card as v1.0.
        #expect(served["supportedInterfaces"]?[0]?["protocolVersion"]?.stringValue == "1.0" && served["url"] == nil)
        let scribe03 = try get("/v1/agents/\(scribeID)/card?a2aVersion=0.3", "/v1/agents/{id}/card")
        #expect(scribe03["url"] == served["supportedInterfaces"]?[0]?["url"] && scribe03["supportedInterfaces"] == nil)
        let atlasID = try world.agentID("atlas")
        let atlas = try get("/v1/agents/\(atlasID)/card", "/v1/agents/{id}/card")
        #expect(atlas["supportedInterfaces"]?[0]?["protocolVersion"]?.stringValue == "0.3.0" && atlas["url"] == nil)
        #expect(try get("/v1/agents/\(atlasID)/card?a2aVersion=dual", "/v1/agents/{id}/card")["url"] != nil)
        let page = try get("/v1/agents/\(scribeID)/feedback", "/v1/agents/{id}/feedback")["feedback"]?.arrayValue ?? []
        let files = Dictionary(uniqueKeysWithValues: page.map { ($0["value"]?.stringValue ?? "", $0["feedbackFile"] ?? .null) })
        #expect(files["95"]?["paymentProof"]?.stringValue == "verified" && files["95"]?["hashMatches"] == .bool(true))
        #expect(files["20"]?["paymentProof"]?.stringValue == "mismatch" && files["20"]?["hashMatches"] == .bool(false))
        #expect(files["80"]?["paymentProof"]?.stringValue == "unverifiable" && files["80"]?["hashMatches"] == .null)
        #expect(files["70"]?["paymentProof"]?.stringValue == "absent")
        let hostile = try get("/v1/agents/\(try world.agentID("hostile-redirect-loopback"))", "/v1/agents/{id}")
        #expect(hostile["documentStatus"]?.stringValue == "refused" && hostile["valid"] == .bool(true))
        let status = try get("/status", "/status")
        #expect(status["documents"]?["byKind"]?["registration"]?["invalid"] == .number("5"))
        #expect(status["documents"]?["pending"] == .number("0"))
        let metrics = try runCommand("/usr/bin/curl", ["-s", server.baseURL + "/metrics"]).stdout
        #expect(metrics.contains(#"agentindex_documents{kind="registration",status="refused"} 4"#), "\(metrics.prefix(400))")

        try api.checkAgainstSpec(in: world.dir)
    }

    @Test("a lying gateway alone: its content is refused; a trusted gateway's plain bytes are kept, marked unverified")
    func gateways() throws {
        let liarOnly = try World(gateways: ["liar"])
        defer { liarOnly.stop() }
        let refused = try liarOnly.documents(["--fetch"]).values.first {
            $0["uri"]?.stringValue?.hasPrefix("ipfs://") == true && $0["kind"]?.stringValue == "registration"
        }
        #expect(refused?["status"]?.stringValue == "failed", "\(refused?.serialized() ?? "")")
        #expect(refused?["lastError"]?.stringValue?.contains("does not match its CID") == true, "\(refused?["lastError"]?.serialized() ?? "")")

        let plain = try World(gateways: ["plain,trusted"])
        defer { plain.stop() }
        let kept = try plain.documents(["--fetch"]).values.first {
            $0["uri"]?.stringValue?.hasPrefix("ipfs://") == true && $0["kind"]?.stringValue == "registration"
        }
        #expect(kept?["status"]?.stringValue == "ok" && kept?["contentVerified"] == .bool(false), "\(kept?.serialized() ?? "")")
    }

    @Test("a refresh picks up a changed document, revalidates an unchanged one (304), and serves the old content as stale when the host is down")
    func refresh() throws {
        let world = try World()
        defer { world.stop() }
        _ = try world.documents(["--fetch"])
        let chameleon = try world.agentID("chameleon")
        func name() throws -> String? {
            let record = try JSONValue(parsing: runCommand(Paths.binary, ["export", "state", "--db", world.db]).stdout
                .split(separator: "\n").first { $0.contains(chameleon.components(separatedBy: "/").first ?? "") && $0.contains("Chameleon") }
                .map(String.init) ?? "{}")
            return record["registration"]?["name"]?.stringValue
        }
        let changing = world.origin("https") + "/changing.json#registration"
        #expect(try name() == "Chameleon v1")
        var documents = try world.documents(["--refresh", "--agent", chameleon, "--fetch"])
        #expect(documents[changing]?["lastOutcome"]?.stringValue == "not-modified" && documents[changing]?["status"]?.stringValue == "ok")
        _ = try world.control("/_control/bump?path=/changing.json")
        documents = try world.documents(["--refresh", "--agent", chameleon, "--fetch"])
        #expect(documents[changing]?["lastOutcome"]?.stringValue == "ok")
        #expect(try name() == "Chameleon v2")
        _ = try world.control("/_control/break?path=/changing.json")
        documents = try world.documents(["--refresh", "--agent", chameleon, "--fetch"])
        #expect(documents[changing]?["status"]?.stringValue == "stale" && documents[changing]?["lastError"]?.stringValue == "HTTP 503 from 127.0.0.1")
        #expect(try name() == "Chameleon v2", "the content fetched before is still served")
        _ = try world.control("/_control/mend?path=/changing.json")
        documents = try world.documents(["--retry-failed", "--fetch"])
        #expect(documents[changing]?["status"]?.stringValue == "ok")
    }

    @Test("a hostile host does not hold up the follower: it reaches the head while 100 dripping documents are still being fetched")
    func followerNotHeldUp() throws {
        let world = try World(scenario: "slowdocs", timeout: "60s")
        defer { world.stop() }
        let server = try AgentIndexProcess(["run", "--listen", "127.0.0.1:0"] + world.flags)
        defer { server.stop() }
        try waitUntil(seconds: 60) { try server.get("/ready").status == 200 }
        // New blocks keep being indexed while the slow documents are in flight.
        let head = try world.devnet.head()
        let sender = try #require(world.devnet.info["accounts"]?["deployer"])
        for _ in 0..<3 {
            _ = try world.devnet.call("eth_sendTransaction", [.object([("from", sender), ("to", sender), ("value", .string("0x0"))])])
        }
        try waitUntil(seconds: 30) { (Int(try server.get("/status").body["chains"]?[0]?["indexedBlock"]?.serialized() ?? "") ?? 0) > head }
        let status = try server.get("/status").body
        #expect(status["documents"]?["byKind"]?["registration"]?["pending"] == .number("100"), "no dripping document is done yet: \(status["documents"]?.serialized() ?? "")")
        try waitUntil(seconds: 20) {
            try server.get("/v1/agents/\(try world.agentID("fast"))").body["documentStatus"]?.stringValue == "ok"
        }
    }

    @Test("kill -9 in the middle of fetching, then restarts: every document ends as an uninterrupted fetch leaves it")
    func restartMidFetch() throws {
        let clean = try World()
        defer { clean.stop() }
        let expected = try clean.documents(["--fetch"]).mapValues { $0["status"]?.stringValue ?? "" }

        let world = try World()
        defer { world.stop() }
        for delay: UInt32 in [400_000, 900_000] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Paths.binary)
            process.arguments = ["documents", "--fetch"] + world.flags
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let interrupted = try world.documents()
        #expect(interrupted.values.contains { $0["status"]?.stringValue == "pending" }, "the kills landed mid-fetch")
        // Leases of documents in flight end after 3 × the time-out + 10 s; then they are fetched again.
        try waitUntil(seconds: 40) {
            let now = try world.documents(["--fetch"])
            return !now.values.contains { $0["status"]?.stringValue == "pending" }
        }
        let final = try world.documents().mapValues { $0["status"]?.stringValue ?? "" }
        let normalized = { (map: [String: String], origins: World) -> [String: String] in
            Dictionary(uniqueKeysWithValues: map.map { key, value in
                (["https", "cards", "legacy", "http"].reduce(key) { $0.replacingOccurrences(of: origins.origin($1), with: $1) }, value)
            })
        }
        let ipfsFree = { (map: [String: String]) in map.filter { !$0.key.hasPrefix("ipfs://") && !$0.key.hasPrefix("data:") } }
        #expect(ipfsFree(normalized(final, world)) == ipfsFree(normalized(expected, clean)))
    }
}
