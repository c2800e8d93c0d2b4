import AgentCards
import EthereumCore
import Foundation
import GRDB
import Testing
@testable import Store

/// A database written before ERC-8004 (schema v6) opens as v7: its agents are derived again, so
/// they carry the new summary fields and service rows, and search finds them as before.
@Suite("Store: migrating a pre-ERC-8004 database")
struct SchemaMigrationTests {
    @Test("v6 → v7 derives every agent again: new fields, service rows, one full-text row each")
    func migratesV6() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("old.sqlite").path
        let agent = StoreFixture.address(7).lowercased
        let factory = StoreFixture.address(0xf).lowercased
        let card = StoreFixture.card(name: "Veteran", description: "Indexed before ERC-8004.", tags: ["legacy"])
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v6-drop-unread-indexes")
            try queue.write { db in
                // What a v6 follower stored for one factory agent (events, its card, its derived rows).
                try db.execute(sql: "INSERT INTO chain (chain_id, name, indexed_block) VALUES (31337, 'old', 20)")
                try db.execute(sql: "INSERT INTO source (chain_id, address, kind, start_block) VALUES (31337, ?, 'factory', 1)",
                               arguments: [factory])
                try db.execute(sql: """
                    INSERT INTO event (chain_id, block_number, log_index, block_hash, tx_hash, emitter, agent, kind, owner)
                    VALUES (31337, 10, 1, '0xaa', '0xbb', ?, ?, 'created', ?)
                    """, arguments: [factory, agent, StoreFixture.address(1).lowercased])
                try db.execute(sql: """
                    INSERT INTO card_version (id, chain_id, agent, block_number, log_index, block_hash, tx_hash, origin, raw, card_json, name)
                    VALUES (1, 31337, ?, 10, 0, '0xaa', '0xbb', 'log', ?, ?, 'Veteran')
                    """, arguments: [agent, Data(card.abiEncoded()), CardRows(card).json])
                try db.execute(sql: """
                    INSERT INTO agent (id, chain_id, address, agent_id, discovered_block, owner, listed, valid, card_version_id,
                                       card_versions, name, summary_json)
                    VALUES (1, 31337, ?, ?, 10, ?, 1, 1, 1, 1, 'Veteran', '{"id":"old summary"}')
                    """, arguments: [agent, AgentID(chainID: 31337, address: try EthereumAddress(agent)).description,
                                     StoreFixture.address(1).lowercased])
                try db.execute(sql: "INSERT INTO agent_fts (rowid, name, description, skills, tags, provider) VALUES (1, 'veteran', 'indexed before erc-8004.', '', 'legacy', '')")
                try db.execute(sql: "INSERT INTO agent_tag (agent, tag) VALUES (1, 'legacy')")
            }
        }
        let store = try AgentStore(path: path)
        var query = AgentQuery()
        query.service = "A2A"
        let page = try store.search(query)
        #expect(page.agents.count == 1)
        let summary = try JSONValue(parsing: try #require(page.agents.first).summaryJSON)
        #expect(summary["standard"]?.stringValue == "agent-contract" && summary["name"]?.stringValue == "Veteran")
        #expect(summary["services"]?.arrayValue?.first?["name"]?.stringValue == "A2A")
        #expect(try store.search(AgentQuery(text: "veteran")).agents.count == 1)
        var tag = AgentQuery()
        tag.tag = "legacy"
        #expect(try store.search(tag).agents.count == 1)
        let rows = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM agent_fts WHERE rowid = 1")
        }
        #expect(rows == 1, "the old full-text row was replaced, not doubled")
        let record = try #require(try store.agentRecord(AgentID(chainID: 31337, address: try EthereumAddress(agent))))
        #expect(record["standard"]?.stringValue == "agent-contract" && record["documentStatus"] == .null)
    }
}
