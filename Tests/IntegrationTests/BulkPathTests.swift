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
        #expect(bulkReport["blocks"] == liveReport["blocks"], "\(bulkReport) vs \(liveReport)")
        #expect(Int(bulkReport["rangeRefusals"]?.serialized() ?? "") ?? 0 >= 1, "the cap was hit: \(bulkReport)")
        #expect(Int(bulkReport["rpcRequests"]?["eth_getBlockByNumber"]?.serialized() ?? "") ?? 0 < blocks / 2,
                "the bulk path reads headers only for blocks with payments and range ends: \(bulkReport)")

        try expectSameExports(live, bulk, in: dir)
    }
}
