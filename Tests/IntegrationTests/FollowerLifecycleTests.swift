import AgentCards
import EthereumCore
import Foundation
import Testing

/// Restarts, live following, canonical exports and configuration errors, with the real binary.
@Suite("Follower life cycle: resume, live mode, export, config")
struct FollowerLifecycleTests {
    func caughtUp(_ result: CommandResult) throws -> JSONValue {
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONValue(parsing: result.stdout.split(separator: "\n").last.map(String.init) ?? "")
    }

    @Test("a restart resumes from the cursor without refetching; export state is identical across fresh indexings")
    func resumeAndExport() throws {
        let devnet = try Devnet()
        defer { devnet.stop() }
        let dir = try TemporaryDirectory()
        let first = try caughtUp(runCommand(Paths.binary, ["index", "--once", "--db", dir.path("a.sqlite")] + devnet.indexFlags))
        #expect(first["ranges"] != .number("0"))

        let again = try caughtUp(runCommand(Paths.binary, ["index", "--once", "--db", dir.path("a.sqlite")] + devnet.indexFlags))
        #expect(again["ranges"] == .number("0"))
        #expect(again["rpcRequests"]?["eth_getLogs"] == nil, "no range is fetched twice")

        _ = try devnet.call("evm_mine", [])
        let afterMine = try caughtUp(runCommand(Paths.binary, ["index", "--once", "--db", dir.path("a.sqlite")] + devnet.indexFlags))
        #expect(afterMine["blocks"] == .number("1"))

        _ = try caughtUp(runCommand(Paths.binary, ["index", "--once", "--db", dir.path("b.sqlite"), "--block-range", "7"] + devnet.indexFlags))
        let exportA = try agentindex("export", "state", "--db", dir.path("a.sqlite"))
        let exportB = try agentindex("export", "state", "--db", dir.path("b.sqlite"))
        #expect(exportA.status == 0 && exportB.status == 0)
        #expect(exportA.stdout == exportB.stdout, "one range or many, the same bytes")
        #expect(exportA.stdout.split(separator: "\n").count == 28)

        let status = try agentindex("status", "--db", dir.path("a.sqlite"))
        #expect(status.stdout.contains("agents: 28 (ERC-8004: 0, files pending: 0), searchable: 24, invalid cards and files: 3"), "\(status.stdout)")
    }

    @Test("run: serves while following; a card updated on chain becomes searchable; SIGTERM stops cleanly")
    func liveMode() throws {
        let devnet = try Devnet()
        defer { devnet.stop() }
        let dir = try TemporaryDirectory()
        let server = try AgentIndexProcess(["run", "--db", dir.path("live.sqlite")] + devnet.indexFlags)
        defer { server.stop() }
        try waitUntil { try server.get("/ready").status == 200 }

        // The owner of WeatherOracle publishes a new card.
        let agent = try #require(devnet.agent(named: "WeatherOracle"))
        let owner = try #require(devnet.info["agents"]?.arrayValue?.first { $0["name"]?.stringValue == "WeatherOracle" }?["owner"])
        let id = "eip155:31337:\(agent)"
        let current = try server.get("/v1/agents/\(id)/card").body
        #expect(current["name"]?.stringValue == "WeatherOracle")
        var card = try AgentCard(abiEncoded: Hex.decode(try devnet.call("eth_call", [
            .object([("to", .string(agent)), ("data", .string(Hex.encode(ABISignature.selector("getAgentCard()"))))]), .string("latest"),
        ]).stringValue ?? ""))
        card.description = "Hyperlocal weather with pollen counts"
        let selector = ABISignature.selector("updateCard(" + AgentCard.abiType.canonical + ")")
        _ = try devnet.call("eth_sendTransaction", [.object([
            ("from", owner), ("to", .string(agent)), ("data", .string(Hex.encode(selector + card.abiEncoded()))), ("gas", .string("0x2000000")),
        ])])
        try waitUntil {
            let names = try server.get("/v1/agents?q=pollen").body["agents"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            return names == ["WeatherOracle"]
        }
        #expect(try server.get("/v1/agents/\(id)").body["cardVersions"] == .number("2"))
        #expect(server.stop() == 0)
    }

    @Test("invalid configuration: exit 1, the offending key named")
    func configErrors() throws {
        let dir = try TemporaryDirectory()
        let cases: [(String, String)] = [
            ("chains:\n  - chainId: 1\n    rpc: [http://127.0.0.1:1]\n    factories:\n      - address: 0x12\n", "chains[0].factories[0].address"),
            ("chains:\n  - chainId: 1\n    rpcs: [http://127.0.0.1:1]\n", "chains[0].rpcs"),
            ("chains:\n  - name: x\n    rpc: http://127.0.0.1:1\n", "chains[0].chainId"),
            ("database: ${AGENTINDEX_TEST_UNSET_VARIABLE}\n", "database"),
            ("chains:\n  - chainId: 1\n    rpc: ftp://x\n    factories: [{address: '0x0000000000000000000000000000000000000001'}]\n", "chains[0].rpc"),
            ("chains:\n  - chainId: 1\n    factories: [{address: '0x0000000000000000000000000000000000000001'}]\n    dust: {native: abc}\n", "chains[0].dust.native"),
            ("chains:\n  - chainId: 1\n    factories: [{address: '0x0000000000000000000000000000000000000001'}]\n    dust: {usdc: 5}\n", "chains[0].dust.usdc"),
            ("chains:\n  - chainId: 1\n    rpc: http://127.0.0.1:9\n    erc8004: everything\n", "chains[0].erc8004"),
            ("chains:\n  - chainId: 1\n    rpc: http://127.0.0.1:9\n    erc8004: {identity: '0x01@5'}\n", "chains[0].erc8004.identity"),
            ("chains:\n  - chainId: 1\n    rpc: http://127.0.0.1:9\n    erc8004: {registry: '0x0000000000000000000000000000000000000001'}\n",
             "chains[0].erc8004.registry"),
            ("chains:\n  - chainId: 1\n    rpc: http://127.0.0.1:9\n    erc8004: {identity: '0x0000000000000000000000000000000000000001@x'}\n",
             "chains[0].erc8004.identity"),
            ("chains:\n  - chainId: 31337\n    rpc: http://127.0.0.1:9\n    erc8004: default\n", "chains[0].erc8004"),
        ]
        for (index, (yaml, key)) in cases.enumerated() {
            let file = dir.path("config\(index).yaml")
            try yaml.write(toFile: file, atomically: true, encoding: .utf8)
            let result = try agentindex("index", "--once", "--config", file, "--db", dir.path("x.sqlite"))
            #expect(result.status == 1)
            #expect(result.stderr.contains("config: \(key):"), "\(key): \(result.stderr)")
        }
        let example = Paths.root.appendingPathComponent("agentindex.example.yaml").path
        let wrongChain = try agentindex("index", "--once", "--config", example, "--rpc", "http://127.0.0.1:9", "--db", dir.path("y.sqlite"))
        #expect(wrongChain.status == 1, "the example parses; the unreachable RPC fails")
        #expect(!wrongChain.stderr.contains("config:"), "\(wrongChain.stderr)")
    }
}

/// Polls `condition` every 100 ms for up to `seconds`.
func waitUntil(seconds: Double = 30, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? condition()) == true { return }
        usleep(100_000)
    }
    Issue.record("condition not met within \(seconds) s")
}
