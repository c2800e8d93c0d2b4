import EthereumCore
import Foundation
import Testing

/// The backfill's bulk path: far below the head each stream (contract events, token transfers)
/// is read in its own ranges and ahead of the range being read, and ranges are committed in
/// batches. What it stores must equal, byte for byte, what the live path stores: every block
/// followed near the head, headers linked, one commit per range.
@Suite("Bulk backfill: per-stream ranges, reading ahead, batched commits")
struct BulkPathTests {
    @Test("under a 10-result cap, by topic, read ahead and batched, the bulk path stores what the live path stores",
          arguments: ["demo", "erc8004"])
    func bulkEqualsLive(scenario: String) throws {
        let devnet = try Devnet(scenario: scenario)
        defer { devnet.stop() }
        // More history: 60 blocks of random moves of the scenario's kind.
        _ = try devnet.call("agentdevnet_play", [.number("7"), .number("60")] + (scenario == "erc8004" ? [.string("erc8004")] : []))
        let dir = try TemporaryDirectory()

        // Live: no block is final, so every range is read near the head.
        _ = try devnet.call("agentdevnet_setFinalityDepth", [.number("1000000")])
        let live = dir.path("live.sqlite")
        let liveRun = try runCommand(Paths.binary, ["index", "--once", "--db", live, "--no-fetch", "--log-level", "warning",
                                                    "--block-range", "5"] + devnet.indexFlags)
        #expect(liveRun.status == 0, "\(liveRun.stderr)")
        let liveReport = try lastLine(liveRun)
        let blocks = Int(liveReport["blocks"]?.serialized() ?? "") ?? 0
        #expect(Int(liveReport["rpcRequests"]?["eth_getBlockByNumber"]?.serialized() ?? "") ?? 0 >= blocks,
                "the live path reads every block's header: \(liveReport)")

        // Bulk: every block is final. The cap makes the dense stretches' ranges narrow and the
        // sparse ones' wide; above two agents and two payees both streams go by topic and are
        // read ahead in their own ranges.
        _ = try devnet.call("agentdevnet_setFinalityDepth", [.number("0")])
        let proxy = try FaultProxy(devnet, ["--max-results", "10"])
        defer { proxy.stop() }
        let bulk = dir.path("bulk.sqlite")
        let bulkRun = try runCommand(Paths.binary, ["index", "--once", "--db", bulk, "--no-fetch", "--log-level", "debug", "--log-format", "json",
                                                    "--block-range", "100000", "--address-filter-limit", "2"] + devnet.indexFlags(through: proxy.url))
        #expect(bulkRun.status == 0, "\(bulkRun.stderr.suffix(3000))")
        let bulkReport = try lastLine(bulkRun)
        // The path under test ran: both streams read ahead, ranges committed several at a time.
        let lines = (bulkRun.stdout + bulkRun.stderr).split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
        #expect(lines.contains { $0["message"]?.stringValue == "contract logs read ahead" })
        #expect(lines.contains { $0["message"]?.stringValue == "token logs read ahead" })
        #expect(lines.contains { $0["message"]?.stringValue == "ranges indexed" && (Int($0["ranges"]?.stringValue ?? "") ?? 0) > 1 })
        #expect(lines.contains { $0["message"]?.stringValue == "ranges indexed" && $0["bulk"]?.stringValue == "true" },
                "batches far from the head were bulk (read indexes suspended)")
        let status = try JSONValue(parsing: agentindex("status", "--db", bulk, "--json").stdout)
        #expect(status["chains"]?[0]?["bulkBackfill"] == .bool(false), "caught up, the read indexes are built again: \(status)")
        #expect(bulkReport["blocks"] == liveReport["blocks"], "\(bulkReport) vs \(liveReport)")
        #expect(Int(bulkReport["rangeRefusals"]?.serialized() ?? "") ?? 0 >= 1, "the cap was hit: \(bulkReport)")
        #expect(Int(bulkReport["rpcRequests"]?["eth_getBlockByNumber"]?.serialized() ?? "") ?? 0 < blocks / 2,
                "the bulk path reads headers only for blocks with payments and range ends: \(bulkReport)")

        try expectSameExports(live, bulk, in: dir)
    }

    @Test("kill -9 while the read indexes are suspended: the API answers meanwhile, a restart builds them and stores what an uninterrupted run stores")
    func killWhileSuspended() throws {
        let devnet = try Devnet(scenario: "demo")
        defer { devnet.stop() }
        _ = try devnet.call("agentdevnet_play", [.number("11"), .number("60")])
        _ = try devnet.call("agentdevnet_setFinalityDepth", [.number("0")])
        let dir = try TemporaryDirectory()
        let clean = try freshExport(dir, "clean.sqlite", ["--no-fetch"] + devnet.indexFlags)
        let proxy = try FaultProxy(devnet, ["--latency", "0.05"])
        defer { proxy.stop() }
        let db = dir.path("killed.sqlite")
        let flags = ["--db", db, "--no-fetch", "--block-range", "2", "--log-level", "warning"] + devnet.indexFlags(through: proxy.url)
        func status() throws -> JSONValue? {
            try JSONValue(parsing: agentindex("status", "--db", db, "--json").stdout)["chains"]?[0]
        }

        // Killed as soon as a bulk batch has committed.
        let process = try startAgentIndex(["index"] + flags)
        var suspended = false
        let deadline = Date().addingTimeInterval(60)
        while !suspended, process.isRunning, Date() < deadline {
            usleep(20_000)
            suspended = (try? status())??["bulkBackfill"] == .bool(true)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(suspended, "a bulk batch committed before the backfill ended")
        let killed = try #require(try status())
        #expect(killed["bulkBackfill"] == .bool(true) && killed["caughtUp"] == .bool(false), "\(killed)")

        // The API answers from what is indexed, by other indexes, and is not ready.
        do {
            let server = try AgentIndexProcess(["serve", "--db", db])
            defer { server.stop() }
            #expect(try server.get("/ready").status == 503)
            let page = try server.get("/v1/agents?limit=50")
            #expect(page.status == 200)
            let ids = page.body["agents"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(!ids.isEmpty, "agents indexed before the kill are found: \(page.body)")
            for id in ids.prefix(5) {
                let reputation = try server.get("/v1/agents/\(id)/reputation")
                #expect(reputation.status == 200 && reputation.body["metrics"] != nil, "\(id): \(reputation.body)")
            }
        }

        let finish = try runCommand(Paths.binary, ["index", "--once"] + flags)
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try status()?["bulkBackfill"] == .bool(false))
        #expect(try agentindex("export", "state", "--db", db).stdout == clean)
    }
}
