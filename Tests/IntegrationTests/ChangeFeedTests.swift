import EthereumCore
import Foundation
import Testing

/// The change feed end to end: a client that mirrors the index from `/v1/changes` alone, across
/// a reorg, ends with exactly what `export state` holds; the SSE stream resumes where
/// `Last-Event-ID` says; answers carry ETags that turn into 304s until something changes.
@Suite("Change feed: a mirror from the feed equals the index, across a reorg", .serialized)
struct ChangeFeedTests {
    /// A client that keeps every agent record by following the feed: a changed agent's record is
    /// fetched again (404: removed); on a `clock` change only the reputation of each agent of that
    /// chain is (so a record change the feed failed to report would leave the mirror stale).
    final class Mirror {
        let server: AgentIndexProcess
        var records: [String: JSONValue] = [:]
        var chains: [String: UInt64] = [:]
        var since: Int64 = 0
        var kinds: [String: Int] = [:]

        init(_ server: AgentIndexProcess) { self.server = server }

        func sync() throws {
            var changed = Set<String>()
            var clocks = Set<UInt64>()
            while true {
                let page = try server.get("/v1/changes?since=\(since)&limit=50")
                #expect(page.status == 200)
                let changes = page.body["changes"]?.arrayValue ?? []
                for change in changes {
                    let seq = Int64(change["seq"]?.serialized() ?? "") ?? 0
                    #expect(seq > since, "seqs grow")
                    since = seq
                    let kind = change["kind"]?.stringValue ?? ""
                    kinds[kind, default: 0] += 1
                    let chain = UInt64(change["chainId"]?.serialized() ?? "") ?? 0
                    if let id = change["agentId"]?.stringValue {
                        changed.insert(id)
                        chains[id] = chain
                    } else if kind == "clock" {
                        clocks.insert(chain)
                    }
                }
                #expect(page.body["next"] == .number(String(since)))
                if changes.count < 50 { break }
            }
            for id in changed {
                let answer = try server.get("/v1/agents/" + id)
                switch answer.status {
                case 200: records[id] = answer.body
                case 404: records[id] = nil
                default: Issue.record("\(id): \(answer.body.serialized())")
                }
            }
            for (id, chain) in chains where clocks.contains(chain) && !changed.contains(id) {
                guard case .object(var members)? = records[id] else { continue }
                let reputation = try server.get("/v1/agents/\(id)/reputation")
                #expect(reputation.status == 200)
                if let index = members.firstIndex(where: { $0.0 == "reputation" }) { members[index].1 = reputation.body }
                records[id] = .object(members)
            }
        }
    }

    func waitIndexed(_ server: AgentIndexProcess, _ devnet: Devnet) throws {
        try waitUntil(seconds: 90) {
            try server.get("/status").body["chains"]?[0]?["indexedBlock"] == .number(String(try devnet.head()))
        }
    }

    @Test("a mirror built from the feed alone equals export state after registrations, payments, feedback and a reorg; the stream resumes after Last-Event-ID")
    func mirrorAcrossReorg() throws {
        let devnet = try Devnet(scenario: "erc8004")
        defer { devnet.stop() }
        let dir = try TemporaryDirectory()
        let db = dir.path("live.sqlite")
        let server = try AgentIndexProcess(["run", "--db", db, "--no-fetch", "--poll-interval", "100ms"] + devnet.indexFlags)
        defer { server.stop() }
        try waitIndexed(server, devnet)
        let mirror = Mirror(server)
        try mirror.sync()
        #expect(mirror.kinds["agent-added"] == 32 && mirror.records.count == 32, "\(mirror.kinds)")

        // A branch the follower indexes, then a longer one replaces it.
        let snapshot = try devnet.call("evm_snapshot", [])
        _ = try devnet.call("agentdevnet_play", [.number("21"), .number("10"), .string("erc8004")])
        try waitIndexed(server, devnet)
        try mirror.sync()
        #expect(try devnet.call("evm_revert", [snapshot]) == .bool(true))
        _ = try devnet.call("agentdevnet_play", [.number("22"), .number("12"), .string("erc8004")])
        try waitIndexed(server, devnet)
        try mirror.sync()
        #expect(mirror.kinds["rollback"] == 1, "\(mirror.kinds)")
        for kind in ["agent-changed", "reputation-changed", "clock"] { #expect((mirror.kinds[kind] ?? 0) > 0, "\(kind): \(mirror.kinds)") }

        let exported = try agentindex("export", "state", "--db", db).stdout.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(exported.count == mirror.records.count)
        for record in exported {
            let id = record["id"]?.stringValue ?? ""
            #expect(mirror.records[id] == record, "\(id): the mirror's record differs from the export")
        }

        // The stream: everything after Last-Event-ID, in order, the same rows as the paged feed.
        let resume = mirror.since - 20
        let stream = try runCommand("/usr/bin/curl", ["-s", "-N", "--max-time", "2", "-H", "Last-Event-ID: \(resume)",
                                                      server.baseURL + "/v1/changes/stream?since=0&heartbeat=1"])
        let ids = stream.stdout.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { Int64($0.dropFirst(4)) }
        #expect(ids == Array((resume + 1)...mirror.since), "\(ids.prefix(5))…")
        #expect(stream.stdout.contains(": heartbeat \(mirror.since)"))
        let paged = try server.get("/v1/changes?since=\(resume)&limit=20").body["changes"]?.arrayValue ?? []
        let streamed = stream.stdout.split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { try? JSONValue(parsing: String($0.dropFirst(6))) }
        #expect(streamed == paged.map { Optional($0) })

        // ETags: an unchanged index answers 304; a new block (a new clock change) does not.
        let path = server.baseURL + "/v1/agents?limit=5"
        let headers = try runCommand("/usr/bin/curl", ["-s", "-D", "-", "-o", "/dev/null", path]).stdout
        let tag = try #require(headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("etag:") }?.dropFirst(6))
        #expect(headers.lowercased().contains("cache-control: public, max-age=0, must-revalidate"))
        func status(_ tag: Substring) throws -> String {
            try runCommand("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: \(tag)", path]).stdout
        }
        #expect(try status(tag) == "304")
        _ = try devnet.call("evm_mine", [])
        try waitIndexed(server, devnet)
        #expect(try status(tag) == "200")
        #expect(server.stop() == 0)
    }
}
