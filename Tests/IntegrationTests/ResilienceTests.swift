import EthereumCore
import Foundation
import Testing

/// The follower against providers that fail, cap and lag (a fault proxy in front of the real
/// devnet), against kill -9, a second writer and hostile contracts.
@Suite("Resilience: provider faults, range caps, kill -9, hostile contracts")
struct ResilienceTests {
    @Test("with 30 % injected faults (5xx, 429 + Retry-After, time-outs, truncated and invalid JSON, resets) and a lagging head, the index equals a clean run's",
          arguments: ["demo", "erc8004"])
    func faultsDoNotChangeTheIndex(scenario: String) throws {
        let devnet = try Devnet(scenario: scenario)
        defer { devnet.stop() }
        let dir = try TemporaryDirectory()
        let clean = try freshExport(dir, "clean.sqlite", devnet.indexFlags)
        let proxy = try FaultProxy(devnet, ["--error-rate", "0.3", "--delay", "1.5", "--seed", "11", "--lag-rate", "0.2"])
        defer { proxy.stop() }

        // Documents off: the export compares what the follower read (a fetcher would add document state).
        let server = try AgentIndexProcess(["run", "--db", dir.path("faulty.sqlite"), "--no-fetch", "--rpc-timeout", "1s", "--rpc-attempts", "8", "--block-range", "4"]
            + devnet.indexFlags(through: proxy.url))
        let head = try devnet.head()
        try waitUntil(seconds: 120) { try server.get("/status").body["chains"]?[0]?["indexedBlock"] == .number(String(head)) }
        let metrics = try runCommand("/usr/bin/curl", ["-s", server.baseURL + "/metrics"]).stdout
        #expect(server.stop() == 0)

        let stats = try proxy.stats()
        let injected = stats["faults"]?.objectValue?.map { Int($0.1.serialized()) ?? 0 }.reduce(0, +) ?? 0
        let requests = Int(stats["requests"]?.serialized() ?? "") ?? 0
        #expect(injected >= requests / 5, "about 30 % of \(requests) requests faulted, got \(injected)")
        #expect((stats["faults"]?.objectValue?.count ?? 0) >= 5, "several kinds of fault: \(stats)")
        #expect(metrics.contains("agentindex_rpc_retries_total"))
        #expect(try agentindex("export", "state", "--db", dir.path("faulty.sqlite")).stdout == clean)
    }

    @Test("with several RPC URLs, a dead first endpoint fails over to the next")
    func failover() throws {
        let devnet = try Devnet()
        defer { devnet.stop() }
        let dir = try TemporaryDirectory()
        let clean = try freshExport(dir, "clean.sqlite", devnet.indexFlags)
        let dead = "http://127.0.0.1:9"   // discard port: connection refused
        let flags = ["--rpc", dead] + devnet.indexFlags
        let run = try runCommand(Paths.binary, ["index", "--once", "--db", dir.path("failover.sqlite"), "--log-level", "warning"] + flags)
        #expect(run.status == 0, "\(run.stderr)")
        #expect((try lastLine(run)["rpcRequests"]?["retries"]).map { $0 != .number("0") } == true)
        #expect(try agentindex("export", "state", "--db", dir.path("failover.sqlite")).stdout == clean)
    }

    @Test("under a 1000-result cap the learned range keeps eth_getLogs calls close to the minimum")
    func learnedRangeCap() throws {
        let devnet = try Devnet(scenario: "dense")
        defer { devnet.stop() }
        let dir = try TemporaryDirectory()
        let proxy = try FaultProxy(devnet, ["--max-results", "1000"])
        defer { proxy.stop() }
        let spammer = try #require(devnet.info["roles"]?["spammer"]?.stringValue)
        let flags = ["--rpc", proxy.url, "--chain-id", "31337",
                     "--registry", "\(devnet.info["contracts"]!["openRegistry"]!["address"]!.stringValue!)@1", "--block-range", "2000"]
        let run = try runCommand(Paths.binary, ["index", "--once", "--db", dir.path("dense.sqlite"), "--log-level", "warning"] + flags)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try lastLine(run)
        let stats = try proxy.stats()
        let calls = Int(stats["methods"]?["eth_getLogs"]?.serialized() ?? "") ?? 0
        let refused = Int(stats["refused"]?.serialized() ?? "") ?? 0

        // 8 blocks of 500 logs: a range holds at most 2 of them, so at least 4 ranges, each
        // with one eth_getLogs for the registry and one for the agent.
        let bursts = devnet.info["burstBlocks"]?.arrayValue?.count ?? 0
        let minimumRanges = (bursts + 1) / 2
        let minimum = 2 * minimumRanges
        #expect(bursts == 8)
        #expect(refused >= 1, "the cap was hit")
        #expect(refused <= 3, "the learned cap is not provoked again and again: \(refused) refusals")
        #expect(calls <= minimum + 2 * refused + 2, "\(calls) eth_getLogs calls for a minimum of \(minimum)")
        #expect(report["logs"] == .number(String(8 * 500 + 1)), "every log arrived: \(report)")
        let status = try JSONValue(parsing: agentindex("status", "--db", dir.path("dense.sqlite"), "--json").stdout)
        #expect(status["chains"]?[0]?["agents"] == .number("1"))
        _ = spammer
    }

    @Test("kill -9 at random moments, then a restart: the final export equals an uninterrupted run's",
          arguments: ["demo", "erc8004"])
    func killNineLosesNothing(scenario: String) throws {
        let devnet = try Devnet(scenario: scenario)
        defer { devnet.stop() }
        let dir = try TemporaryDirectory()
        let clean = try freshExport(dir, "clean.sqlite", devnet.indexFlags)
        let proxy = try FaultProxy(devnet, ["--latency", "0.02"])
        defer { proxy.stop() }
        let db = dir.path("killed.sqlite")
        let flags = ["--db", db, "--no-fetch", "--block-range", "3", "--log-level", "warning"] + devnet.indexFlags(through: proxy.url)
        var generator = SystemRandomNumberGenerator()
        var interrupted = 0
        let head = try devnet.head()
        for round in 0..<5 {
            let process = try startAgentIndex(["index"] + flags)
            usleep(UInt32.random(in: 150_000...900_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "round \(round) was killed")
            let status = try JSONValue(parsing: agentindex("status", "--db", db, "--json").stdout)
            if let indexed = status["chains"]?[0]?["indexedBlock"]?.serialized(), Int(indexed) ?? 0 < head { interrupted += 1 }
        }
        #expect(interrupted >= 2, "most kills land mid-backfill (\(interrupted) of 5)")
        let finish = try runCommand(Paths.binary, ["index", "--once"] + flags)
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try agentindex("export", "state", "--db", db).stdout == clean)
    }

    @Test("a second follower on the same database refuses to start, with a clear message")
    func secondFollowerRefuses() throws {
        let devnet = try Devnet(scenario: "empty")
        defer { devnet.stop() }
        let dir = try TemporaryDirectory()
        let flags = ["--rpc", devnet.rpcURL.absoluteString, "--chain-id", "31337",
                     "--factory", "\(devnet.info["contracts"]!["factory"]!["address"]!.stringValue!)@0"]
        let first = try AgentIndexProcess(["run", "--db", dir.path("one.sqlite")] + flags)
        let second = try runCommand(Paths.binary, ["index", "--once", "--db", dir.path("one.sqlite")] + flags)
        #expect(second.status == 1)
        #expect(second.stderr.contains("another follower (pid \(first.process.processIdentifier)) is already writing"), "\(second.stderr)")
        #expect(first.stop() == 0)
        let after = try runCommand(Paths.binary, ["index", "--once", "--db", dir.path("one.sqlite")] + flags)
        #expect(after.status == 0, "the lock goes with the process: \(after.stderr)")
    }

    @Test("hostile contracts are recorded invalid with a reason, a card at every maximum is accepted, memory stays bounded")
    func hostileContracts() throws {
        let devnet = try Devnet(scenario: "hostile")
        defer { devnet.stop() }
        let dir = try TemporaryDirectory()
        let contracts = try #require(devnet.info["contracts"])
        func source(_ name: String) -> String {
            "\(contracts[name]!["address"]!.stringValue!)@\(contracts[name]!["startBlock"]!.serialized())"
        }
        let db = dir.path("hostile.sqlite")
        let run = try runCommand(Paths.binary, ["index", "--once", "--db", db, "--log-level", "error", "--rpc", devnet.rpcURL.absoluteString,
                                                "--chain-id", "31337", "--factory", source("factory"), "--registry", source("openRegistry"),
                                                "--registry", source("laxRegistry")])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try lastLine(run)
        let peak = Double(report["peakRSSMegabytes"]?.serialized() ?? "") ?? .infinity
        #expect(peak < 150, "peak RSS \(peak) MB")

        let status = try JSONValue(parsing: agentindex("status", "--db", db, "--json").stdout)
        let chain = try #require(status["chains"]?[0])
        var reasons: [String: String] = [:]
        for item in chain["invalid"]?.arrayValue ?? [] {
            reasons[String(item["id"]!.stringValue!.split(separator: ":").last!).lowercased()] = item["reason"]?.stringValue
        }
        let roles = try #require(devnet.info["roles"])
        func reason(_ role: String) -> String? { reasons[roles[role]!.stringValue!.lowercased()] }
        #expect(reason("reverting")?.contains("getAgentCard() failed") == true)
        #expect(reason("gasBurner")?.contains("getAgentCard() failed") == true, "\(reasons)")
        #expect(reason("garbage")?.contains("does not decode") == true)
        #expect(reason("oversized")?.contains("more than the limit") == true)
        #expect(reason("eoa")?.contains("returned nothing") == true, "\(reasons)")
        #expect(reason("token")?.contains("getAgentCard() failed") == true)
        #expect(reason("maxed") == nil, "the card at every maximum is valid: \(reasons)")
        #expect(reason("good") == nil)
        #expect(chain["agents"] == .number("8"))
        #expect(chain["searchable"] == .number("2"))

        let maxed = "eip155:31337:\(roles["maxed"]!.stringValue!)"
        let record = try JSONValue(parsing: agentindex("export", "state", "--db", db).stdout.split(separator: "\n")
            .first { $0.contains(maxed) }.map(String.init) ?? "")
        #expect(record["card"]?["skills"]?.arrayValue?.count == 16)
        #expect(record["card"]?["name"]?.stringValue?.utf8.count == 128)
    }
}
