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

    /// A devnet (`scenario`, demo by default) and `agentindex run` following it into `live.sqlite`, caught up.
    /// Documents are not fetched: the export is compared with a fresh `index --once` of the chain
    /// (a rollback's effect on fetched documents is checked in the store's tests).
    func following(scenario: String = "demo") throws -> (Devnet, TemporaryDirectory, AgentIndexProcess) {
        let devnet = try Devnet(scenario: scenario)
        let dir = try TemporaryDirectory()
        let server = try AgentIndexProcess(["run", "--db", dir.path("live.sqlite"), "--no-fetch", "--poll-interval", "100ms"] + devnet.indexFlags)
        try waitIndexed(server, devnet)
        return (devnet, dir, server)
    }

    @discardableResult
    func play(_ devnet: Devnet, seed: Int, blocks: Int, moves: JSONValue? = nil) throws -> [String] {
        let done = try devnet.call("agentdevnet_play", [.number(String(seed)), .number(String(blocks))] + (moves.map { [$0] } ?? []))
        return done.arrayValue?.compactMap(\.stringValue) ?? []
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

    @Test("a reorg across ERC-8004 registration, wallet change, NFT transfer, payments to wallets, feedback and revocation",
          arguments: [false, true])
    func erc8004Reorg(indexedFirst: Bool) throws {
        let (devnet, dir, server) = try following(scenario: "erc8004")
        defer { server.stop(); devnet.stop() }
        let script: [String] = ["erc8004_register", "erc8004_wallet", "erc8004_x402", "erc8004_feedback", "erc8004_transfer",
                                "erc8004_pay", "erc8004_revoke", "erc8004_uri", "erc8004_validation", "erc8004_respond"]
        let blocks = 12
        let snapshot = try devnet.call("evm_snapshot", [])
        let played = try play(devnet, seed: 7, blocks: blocks, moves: .array(script.map(JSONValue.string)))
        #expect(played.count == script.count && played.allSatisfy { $0.hasPrefix("erc8004") && !$0.contains("(for") })
        if indexedFirst { try waitIndexed(server, devnet) } else { usleep(300_000) }
        #expect(try devnet.call("evm_revert", [snapshot]) == .bool(true))
        try play(devnet, seed: 8, blocks: blocks + 2, moves: .string("erc8004"))
        try waitIndexed(server, devnet)
        if indexedFirst {
            let metrics = try runCommand("/usr/bin/curl", ["-s", server.baseURL + "/metrics"]).stdout
            #expect(metric(metrics, "agentindex_reorgs_total") == 1)
        }
        #expect(server.stop() == 0)
        let fresh = try freshExport(dir, "fresh.sqlite", devnet.indexFlags)
        #expect(try agentindex("export", "state", "--db", dir.path("live.sqlite")).stdout == fresh)
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

