import EthereumCore
import Foundation
import TestSupport
import Testing

/// Real reorgs on the devnet (eth-tester snapshot/revert, then another branch mined) under a
/// live follower: after each, the index equals a fresh index of the final chain.
@Suite("Reorgs: roll back to the common ancestor, follow the new branch")
struct ReorgTests {
    /// Waits until the follower behind `server` has indexed the devnet's head.
    func waitIndexed(_ server: AgentIndexProcess, _ devnet: Devnet) throws {
        try waitUntil(seconds: 90) {
            try server.get("/status").body["chains"]?[0]?["indexedBlock"] == .number(String(try devnet.head()))
        }
    }

    /// A demo devnet and `agentindex run` following it into `live.sqlite`, caught up.
    func following() throws -> (Devnet, TemporaryDirectory, AgentIndexProcess) {
        let devnet = try Devnet()
        let dir = try TemporaryDirectory()
        let server = try AgentIndexProcess(["run", "--db", dir.path("live.sqlite"), "--poll-interval", "100ms"] + devnet.indexFlags)
        try waitIndexed(server, devnet)
        return (devnet, dir, server)
    }

    func play(_ devnet: Devnet, seed: Int, blocks: Int) throws {
        _ = try devnet.call("agentdevnet_play", [.number(String(seed)), .number(String(blocks))])
    }

    func metric(_ text: String, _ name: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
            .flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
    }

    @Test("a reorg across card updates, registrations, payments and ratings", arguments: [1, 5, 30])
    func reorg(depth: Int) throws {
        let (devnet, dir, server) = try following()
        defer { server.stop(); devnet.stop() }
        let db = dir.path("live.sqlite")

        let snapshot = try devnet.call("evm_snapshot", [])
        try play(devnet, seed: 100 + depth, blocks: depth)
        try waitIndexed(server, devnet)
        #expect(try devnet.call("evm_revert", [snapshot]) == .bool(true))
        try play(devnet, seed: 200 + depth, blocks: depth + 1)
        try waitIndexed(server, devnet)

        let metrics = try runCommand("/usr/bin/curl", ["-s", server.baseURL + "/metrics"]).stdout
        #expect(metric(metrics, "agentindex_reorgs_total") == 1)
        #expect(metric(metrics, "agentindex_reorg_depth_blocks_sum") == Double(depth), "rolled back exactly the \(depth) blocks of the old branch")
        #expect(server.stop() == 0)
        let fresh = try freshExport(dir, "fresh.sqlite", devnet.indexFlags)
        #expect(try agentindex("export", "state", "--db", db).stdout == fresh)
    }

    @Test("a randomized reorg schedule (AGENTINDEX_REORG_ROUNDS rounds, default 3; AGENTINDEX_REORG_SEED replays one)")
    func randomizedSchedule() throws {
        let environment = ProcessInfo.processInfo.environment
        let rounds = environment["AGENTINDEX_REORG_ROUNDS"].flatMap(Int.init) ?? 3
        let seed = environment["AGENTINDEX_REORG_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        var random = SplitMix64(seed: seed)
        let (devnet, dir, server) = try following()
        defer { server.stop(); devnet.stop() }
        let db = dir.path("live.sqlite")

        var schedule: [String] = []
        for round in 0..<rounds {
            let depth = Int.random(in: 1...12, using: &random)
            let replacement = Int.random(in: max(1, depth - 3)...(depth + 3), using: &random)
            let seen = Bool.random(using: &random)
            schedule.append("round \(round): \(depth) blocks \(seen ? "indexed" : "maybe indexed"), replaced by \(replacement)")
            let snapshot = try devnet.call("evm_snapshot", [])
            try play(devnet, seed: 1_000 * round + 1, blocks: depth)
            if seen { try waitIndexed(server, devnet) } else { usleep(UInt32.random(in: 0...300_000, using: &random)) }
            #expect(try devnet.call("evm_revert", [snapshot]) == .bool(true))
            try play(devnet, seed: 1_000 * round + 2, blocks: replacement)
            try waitIndexed(server, devnet)
        }
        #expect(server.stop() == 0)
        let fresh = try freshExport(dir, "fresh.sqlite", devnet.indexFlags)
        #expect(try agentindex("export", "state", "--db", db).stdout == fresh,
                "seed \(seed) (AGENTINDEX_REORG_SEED=\(seed) replays it): \(schedule.joined(separator: "; "))")
    }
}

